import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createLogger,
  type Logger,
  type LogLevel,
  type LogSinkFunction,
  levelEnabled,
} from '../src/index.js';

type Line = [LogLevel, string, ...unknown[]];

function recorder(): { sink: LogSinkFunction; lines: Line[] } {
  const lines: Line[] = [];
  return { sink: (level, message, ...args) => lines.push([level, message, ...args]), lines };
}

function logAll(logger: Logger): void {
  logger.error('e');
  logger.warn('w');
  logger.info('i');
  logger.debug('d');
  logger.trace?.('t');
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('createLogger', () => {
  it('defaults to warn: error and warn are emitted, nothing below', () => {
    const { sink, lines } = recorder();
    const log = createLogger('server', { sink, debug: '' });
    expect(log.level).toBe('warn');
    logAll(log);
    expect(lines).toEqual([
      ['error', '[smartsocket:server] [error] e'],
      ['warn', '[smartsocket:server] [warn] w'],
    ]);
  });

  it('formats unscoped lines exactly as the README example', () => {
    const { sink, lines } = recorder();
    const log = createLogger('', { sink, level: 'debug' });
    log.debug('Connecting to ws://localhost:3000');
    expect(lines).toEqual([['debug', '[smartsocket] [debug] Connecting to ws://localhost:3000']]);
  });

  it('passes extra arguments through to the sink', () => {
    const { sink, lines } = recorder();
    const err = new Error('boom');
    createLogger('client', { sink }).error('send failed', err, { id: 1 });
    expect(lines).toEqual([['error', '[smartsocket:client] [error] send failed', err, { id: 1 }]]);
  });

  it('setLevel opens and closes levels in order error < warn < info < debug < trace', () => {
    const { sink, lines } = recorder();
    const log = createLogger('server', { sink, debug: '' });
    const emitted = (level: LogLevel) => {
      lines.length = 0;
      log.setLevel(level);
      logAll(log);
      return lines.map(([l]) => l);
    };
    expect(emitted('error')).toEqual(['error']);
    expect(emitted('info')).toEqual(['error', 'warn', 'info']);
    expect(emitted('trace')).toEqual(['error', 'warn', 'info', 'debug', 'trace']);
    expect(emitted('warn')).toEqual(['error', 'warn']);
    expect(log.level).toBe('warn');
  });

  it('isLevelEnabled follows the current level', () => {
    const log = createLogger('server', { sink: () => {}, debug: '' });
    expect(log.isLevelEnabled('warn')).toBe(true);
    expect(log.isLevelEnabled('info')).toBe(false);
    log.setLevel('debug');
    expect(log.isLevelEnabled('debug')).toBe(true);
    expect(log.isLevelEnabled('trace')).toBe(false);
  });

  it('rejects unknown levels with a TypeError naming the option', () => {
    const log = createLogger('server', { sink: () => {} });
    expect(() => log.setLevel('verbose' as LogLevel)).toThrow(/level must be one of/);
    expect(() => createLogger('x', { level: 'loud' as LogLevel })).toThrow(TypeError);
    expect(log.level).toBe('warn');
  });

  it('makes no sink call and builds no line at the default level', () => {
    const sink = vi.fn<LogSinkFunction>();
    const log = createLogger('server', { sink, debug: '' });
    const message = { toString: vi.fn(() => 'expensive') };
    for (let i = 0; i < 1000; i++) {
      log.debug(message as unknown as string);
      log.info(message as unknown as string);
      log.trace(message as unknown as string);
    }
    expect(sink).not.toHaveBeenCalled();
    expect(message.toString).not.toHaveBeenCalled();
  });
});

describe('DEBUG switch', () => {
  const levelFor = (scope: string, debug: string) =>
    createLogger(scope, { sink: () => {}, debug }).level;

  it('smartsocket:* turns on debug for every scope and the unscoped logger', () => {
    expect(levelFor('server', 'smartsocket:*')).toBe('debug');
    expect(levelFor('client', 'smartsocket:*')).toBe('debug');
    expect(levelFor('', 'smartsocket:*')).toBe('debug');
  });

  it('a single scope turns on only that scope', () => {
    expect(levelFor('server', 'smartsocket:server')).toBe('debug');
    expect(levelFor('client', 'smartsocket:server')).toBe('warn');
    expect(levelFor('client', 'express:*, smartsocket:client')).toBe('debug');
  });

  it('honours exclusions and ignores other namespaces', () => {
    expect(levelFor('client', 'smartsocket:*,-smartsocket:client')).toBe('warn');
    expect(levelFor('server', '-smartsocket:client,smartsocket:*')).toBe('debug');
    expect(levelFor('server', 'express:*')).toBe('warn');
    expect(levelFor('server', 'smartsocket')).toBe('warn');
    expect(levelFor('server', '*')).toBe('debug');
  });

  it('an explicit level wins over DEBUG, and setLevel still works after DEBUG', () => {
    expect(createLogger('server', { debug: 'smartsocket:*', level: 'error' }).level).toBe('error');
    const { sink, lines } = recorder();
    const log = createLogger('server', { sink, debug: 'smartsocket:*' });
    log.debug('on');
    log.setLevel('warn');
    log.debug('off');
    expect(lines).toEqual([['debug', '[smartsocket:server] [debug] on']]);
  });

  it('reads process.env.DEBUG when no list is given', () => {
    vi.stubEnv('DEBUG', 'smartsocket:client');
    expect(createLogger('client', { sink: () => {} }).level).toBe('debug');
    expect(createLogger('server', { sink: () => {} }).level).toBe('warn');
  });
});

describe('sinks', () => {
  it('uses a pino-like object as-is, calling its methods on itself', () => {
    const calls: string[] = [];
    const pinoLike = {
      name: 'pino',
      error(this: { name: string }, msg: string) {
        calls.push(`${this.name}:error:${msg}`);
      },
      warn(this: { name: string }, msg: string) {
        calls.push(`${this.name}:warn:${msg}`);
      },
      info(this: { name: string }, msg: string) {
        calls.push(`${this.name}:info:${msg}`);
      },
      debug(this: { name: string }, msg: string, extra?: unknown) {
        calls.push(`${this.name}:debug:${msg}:${String(extra)}`);
      },
    };
    const log = createLogger('server', { sink: pinoLike, level: 'trace' });
    log.info('ready');
    log.debug('frame', 7);
    log.trace('bytes');
    expect(calls).toEqual([
      'pino:info:[smartsocket:server] [info] ready',
      'pino:debug:[smartsocket:server] [debug] frame:7',
      'pino:debug:[smartsocket:server] [trace] bytes:undefined',
    ]);
  });

  it('calls an object sink’s own trace when it has one', () => {
    const trace = vi.fn();
    const sink = { error() {}, warn() {}, info() {}, debug: vi.fn(), trace };
    createLogger('client', { sink, level: 'trace' }).trace('deep');
    expect(trace).toHaveBeenCalledWith('[smartsocket:client] [trace] deep');
    expect(sink.debug).not.toHaveBeenCalled();
  });

  it('rejects a sink that is neither a function nor a logger-like object', () => {
    expect(() => createLogger('x', { sink: { error() {} } as never })).toThrow(/sink\.warn/);
    expect(() => createLogger('x', { sink: 42 as never })).toThrow(TypeError);
  });

  it('writes to the console by default, trace through console.debug', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const log = createLogger('client', { debug: '' });
    log.warn('slow');
    log.setLevel('trace');
    log.trace('tick', 1);
    expect(warn).toHaveBeenCalledWith('[smartsocket:client] [warn] slow');
    expect(debug).toHaveBeenCalledWith('[smartsocket:client] [trace] tick', 1);
  });
});

describe('levelEnabled', () => {
  it('asks loggers that can answer and assumes true for those that cannot', () => {
    const log = createLogger('server', { sink: () => {}, debug: '' });
    expect(levelEnabled(log, 'debug')).toBe(false);
    expect(levelEnabled(log, 'warn')).toBe(true);
    expect(levelEnabled(console, 'trace')).toBe(true);
  });
});
