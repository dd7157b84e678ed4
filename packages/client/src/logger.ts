// The client's logger: the user's logger when given, else a small console logger (warn and up,
// debug with DEBUG=smartsocket:*). Swapped for @smartsocket/logger once that package lands.

/** Anything with these four methods can be the client's logger (console, pino, …). */
export interface Logger {
  error(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
}

function debugEnabled(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env?.DEBUG;
  return typeof env === 'string' && /(^|,)\s*smartsocket(:\*|:client|\*)/.test(env);
}

const noop = (): void => {};

/** The fallback logger: `[smartsocket] [level] message` on the console. */
export function createFallbackLogger(scope = 'client'): Logger {
  const line =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (message: string, ...args: unknown[]): void => {
      const out = level === 'debug' || level === 'info' ? console.log : console[level];
      out(`[smartsocket] [${level}] [${scope}] ${message}`, ...args);
    };
  const debug = debugEnabled();
  return {
    error: line('error'),
    warn: line('warn'),
    info: debug ? line('info') : noop,
    debug: debug ? line('debug') : noop,
  };
}
