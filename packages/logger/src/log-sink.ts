// Where formatted log lines go: the console by default, a function, or a pino-like object.
import type { LogLevel } from './log-level.js';

/**
 * A function that receives every emitted line: the level, the formatted line
 * (`[smartsocket:server] [debug] text`) and any extra arguments passed to the log call.
 *
 * @example
 * const lines: string[] = [];
 * const sink: LogSinkFunction = (level, message) => lines.push(message);
 */
export type LogSinkFunction = (level: LogLevel, message: string, ...args: unknown[]) => void;

/** One logging method of a {@link LogSinkObject}: `(message, ...args)`. */
export type LogMethod = (message: string, ...args: unknown[]) => void;

/**
 * A pino-, winston- or console-like object; its methods are called as-is with the formatted
 * line and the extra arguments. Without `trace`, trace lines go to `debug`.
 *
 * @example
 * import pino from 'pino';
 * createLogger('server', { sink: pino({ level: 'trace' }) });
 */
export interface LogSinkObject {
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  trace?: LogMethod;
}

/** Anything a logger can write to. */
export type LogSink = LogSinkFunction | LogSinkObject;

/**
 * The default sink: the global console, looked up at call time so it can be replaced later.
 * `trace` goes to `console.debug`, because `console.trace` prints a stack trace.
 */
export const consoleSink: LogSinkFunction = (level, message, ...args) => {
  const method = level === 'trace' ? 'debug' : level;
  console[method](message, ...args);
};

/** Normalises any {@link LogSink} to a function, binding object methods to their object. */
export function toSinkFunction(sink: LogSink): LogSinkFunction {
  if (typeof sink === 'function') return sink;
  if (typeof sink !== 'object' || sink === null) {
    throw new TypeError('sink must be a function or an object with error/warn/info/debug methods');
  }
  for (const level of ['error', 'warn', 'info', 'debug'] as const) {
    if (typeof sink[level] !== 'function') {
      throw new TypeError(`sink.${level} must be a function`);
    }
  }
  return (level, message, ...args) => {
    const method = level === 'trace' && typeof sink.trace !== 'function' ? 'debug' : level;
    // Called as a method so pino/winston/console keep their `this`.
    (sink[method] as LogMethod).call(sink, message, ...args);
  };
}
