// @smartsocket/logger: levelled, scoped logging with DEBUG=smartsocket:* support and pluggable sinks.
export {
  createLogger,
  type Logger,
  type LoggerOptions,
  levelEnabled,
  loggerDefaults,
  type ScopedLogger,
} from './create-logger.js';
export { isLogLevel, LOG_LEVELS, type LogLevel } from './log-level.js';
export {
  consoleSink,
  type LogMethod,
  type LogSink,
  type LogSinkFunction,
  type LogSinkObject,
} from './log-sink.js';
