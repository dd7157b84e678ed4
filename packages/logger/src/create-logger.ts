// The levelled, scoped logger: DEBUG-aware level, one line format, disabled levels cost one no-op call.

import { readDebugEnv } from './debug-env.js';
import { namespaceEnabled } from './debug-namespaces.js';
import { assertLogLevel, LOG_LEVELS, type LogLevel, levelRank } from './log-level.js';
import { consoleSink, type LogMethod, type LogSink, toSinkFunction } from './log-sink.js';

/**
 * What the server and client accept as their `logger` option: any object with
 * `error/warn/info/debug` (console, pino, winston, or a {@link createLogger} logger).
 * `trace`, `setLevel` and `isLevelEnabled` are used when present.
 *
 * @example
 * const logger: Logger = console;
 */
export interface Logger {
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  trace?: LogMethod;
  setLevel?(level: LogLevel): void;
  isLevelEnabled?(level: LogLevel): boolean;
}

/** The logger {@link createLogger} returns: every method of {@link Logger} is present. */
export interface ScopedLogger extends Required<Logger> {
  /** The scope given to {@link createLogger} (`''` for the unscoped logger). */
  readonly scope: string;
  /** The `DEBUG` namespace this logger answers to, e.g. `smartsocket:server`. */
  readonly namespace: string;
  /** The current level. */
  readonly level: LogLevel;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /**
   * The initial level; `setLevel` changes it later.
   * @default 'debug' when the DEBUG list switches this logger's namespace on, else 'warn'
   */
  level?: LogLevel | undefined;
  /**
   * Where lines go: a `(level, line, ...args)` function or a pino-like object.
   * @default the global console (`trace` lines go to `console.debug`)
   */
  sink?: LogSink | undefined;
  /**
   * A `DEBUG`-style namespace list to use instead of the environment's.
   * @default process.env.DEBUG when `process` exists, else localStorage.debug
   */
  debug?: string | undefined;
}

/** Defaults of {@link LoggerOptions}; `undefined` fields are resolved per logger as documented. */
export const loggerDefaults: LoggerOptions = {
  level: undefined,
  sink: undefined,
  debug: undefined,
};

const noop: LogMethod = () => {};

/**
 * Creates a logger for one part of SmartSocket. Lines look like
 * `[smartsocket:<scope>] [<level>] <message>`, or `[smartsocket] [<level>] <message>` without a
 * scope. The level defaults to `warn`; `DEBUG=smartsocket:*` (or `smartsocket:<scope>`, in a
 * comma-separated list as the `debug` package reads it) raises it to `debug`. Disabled levels are
 * bound to a no-op, so a call at a disabled level does nothing; guard per-message string building
 * with `isLevelEnabled`.
 *
 * @example
 * const log = createLogger('client');
 * log.setLevel('debug');
 * log.debug(`Connecting to ${url}`); // [smartsocket:client] [debug] Connecting to ws://localhost:3000
 * if (log.isLevelEnabled('trace')) log.trace(`frame ${hex(bytes)}`);
 */
export function createLogger(scope = '', options: LoggerOptions = {}): ScopedLogger {
  const opts = { ...loggerDefaults, ...options };
  const namespace = scope === '' ? 'smartsocket' : `smartsocket:${scope}`;
  const sink = toSinkFunction(opts.sink ?? consoleSink);
  const debugList = opts.debug ?? readDebugEnv();
  // The unscoped logger also answers to `smartsocket:*`, the documented switch for all logs.
  const debugOn =
    namespaceEnabled(debugList, namespace) ||
    (scope === '' && namespaceEnabled(debugList, 'smartsocket:'));
  let level: LogLevel = opts.level ?? (debugOn ? 'debug' : 'warn');
  assertLogLevel(level, 'level');

  const emitters = {} as Record<LogLevel, LogMethod>;
  for (const lvl of LOG_LEVELS) {
    const head = `[${namespace}] [${lvl}] `;
    emitters[lvl] = (message, ...args) => sink(lvl, head + message, ...args);
  }

  const logger: ScopedLogger = {
    scope,
    namespace,
    get level() {
      return level;
    },
    error: noop,
    warn: noop,
    info: noop,
    debug: noop,
    trace: noop,
    setLevel(next: LogLevel) {
      assertLogLevel(next, 'level');
      level = next;
      bindMethods();
    },
    isLevelEnabled(candidate: LogLevel) {
      return levelRank[candidate] <= levelRank[level];
    },
  };

  function bindMethods(): void {
    const max = levelRank[level];
    for (const lvl of LOG_LEVELS) logger[lvl] = levelRank[lvl] <= max ? emitters[lvl] : noop;
  }

  bindMethods();
  return logger;
}

/**
 * Asks any {@link Logger} whether `level` is on: its own `isLevelEnabled` when it has one
 * (SmartSocket loggers, pino), otherwise `true`, so callers skip costly message building only
 * when the logger can tell them to.
 *
 * @example
 * if (levelEnabled(opts.logger, 'debug')) opts.logger.debug(`frame ${describe(frame)}`);
 */
export function levelEnabled(logger: Logger, level: LogLevel): boolean {
  return typeof logger.isLevelEnabled === 'function' ? logger.isLevelEnabled(level) : true;
}
