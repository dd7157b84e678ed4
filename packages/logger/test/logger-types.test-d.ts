import { describe, expectTypeOf, it } from 'vitest';
import { createLogger, type Logger, type LogSink } from '../src/index.js';

describe('Logger type', () => {
  it('accepts console, SmartSocket loggers and pino-shaped objects', () => {
    expectTypeOf(console).toExtend<Logger>();
    expectTypeOf(console).toExtend<LogSink>();
    expectTypeOf(createLogger('server')).toExtend<Logger>();
    type PinoLogFn = {
      <T extends object>(obj: T, msg?: string, ...args: any[]): void;
      (msg: string, ...args: any[]): void;
    };
    type PinoLike = Record<'error' | 'warn' | 'info' | 'debug' | 'trace', PinoLogFn> & {
      isLevelEnabled(level: string): boolean;
    };
    expectTypeOf<PinoLike>().toExtend<Logger>();
    expectTypeOf<{ error(): void }>().not.toExtend<Logger>();
  });
});
