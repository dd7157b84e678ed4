// The five log levels, their order, and the checks that compare them.

/** A log level, from the most severe (`error`) to the most verbose (`trace`). */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Every level in order of verbosity: a logger at level `L` emits the levels up to and including `L`.
 *
 * @example
 * LOG_LEVELS.indexOf('info') < LOG_LEVELS.indexOf('debug'); // true
 */
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug', 'trace'];

/** Rank of each level; a lower rank is more severe. */
export const levelRank: Readonly<Record<LogLevel, number>> = {
  error: 0,
  warn: 1,
  info: 2,
  debug: 3,
  trace: 4,
};

/**
 * True when `value` names one of the five levels.
 *
 * @example
 * isLogLevel('debug'); // true
 * isLogLevel('verbose'); // false
 */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(levelRank, value);
}

/** Throws a `TypeError` naming `name` unless `value` is a level. */
export function assertLogLevel(value: unknown, name: string): asserts value is LogLevel {
  if (!isLogLevel(value)) {
    throw new TypeError(`${name} must be one of ${LOG_LEVELS.join(', ')}; got ${String(value)}`);
  }
}
