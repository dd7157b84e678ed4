// SmartSocketError and the ErrorCodes table: codes, messages, close codes, wire form.
import { describe, expect, it } from 'vitest';
import {
  type ErrorCode,
  ErrorCodes,
  isErrorCode,
  isSmartSocketError,
  SmartSocketError,
} from '../src/index.js';

// The documented codes (docs/ERRORS.md), verbatim: the table must hold exactly these.
const DOCUMENTED_CODES = [
  'ERR_CONN_001',
  'ERR_CONN_002',
  'ERR_CONN_003',
  'ERR_CONN_004',
  'ERR_CONN_005',
  'ERR_CONN_006',
  'ERR_MSG_001',
  'ERR_MSG_002',
  'ERR_MSG_003',
  'ERR_MSG_004',
  'ERR_MSG_005',
  'ERR_RATE_001',
  'ERR_RATE_002',
  'ERR_ACK_001',
  'ERR_ACK_002',
  'ERR_ACK_003',
  'ERR_CONFIG_001',
  'ERR_MW_001',
  // Added with the Redis adapter: a cross-server request while the cluster bus is down.
  'ERR_CLUSTER_001',
];

describe('ErrorCodes', () => {
  it('holds exactly the documented codes', () => {
    expect(Object.keys(ErrorCodes).sort()).toEqual([...DOCUMENTED_CODES].sort());
  });

  for (const code of Object.keys(ErrorCodes) as ErrorCode[]) {
    it(`${code}: entry, default message, close code, error instance`, () => {
      const entry = ErrorCodes[code];
      expect(entry.code).toBe(code);
      expect(entry.message.length).toBeGreaterThan(0);
      // Close codes a WebSocket may send: the 1000-1014 range minus 1004-1006 reserved for
      // local use (1006 is only reported, for a lost connection), or the 4000-4999 app range.
      expect(
        (entry.closeCode >= 1000 && entry.closeCode <= 1014) ||
          (entry.closeCode >= 4000 && entry.closeCode <= 4999),
      ).toBe(true);
      const err = new SmartSocketError(code);
      expect(err).toBeInstanceOf(Error);
      expect(err.name).toBe('SmartSocketError');
      expect(err.code).toBe(code);
      expect(err.message).toBe(entry.message);
      expect(err.closeCode).toBe(entry.closeCode);
      expect(isErrorCode(code)).toBe(true);
      expect(isSmartSocketError(err)).toBe(true);
      expect(SmartSocketError.fromPayload(JSON.parse(JSON.stringify(err)))).toMatchObject({
        code,
        message: entry.message,
      });
    });
  }

  it('protocol errors carry the close codes a WebSocket peer expects', () => {
    expect(new SmartSocketError('ERR_MSG_001').closeCode).toBe(1002);
    expect(new SmartSocketError('ERR_MSG_004').closeCode).toBe(1009);
    expect(new SmartSocketError('ERR_CONN_004').closeCode).toBe(4001);
  });

  it('isErrorCode refuses anything else, including inherited names', () => {
    for (const v of ['ERR_NOPE', 'toString', '__proto__', 'constructor', 1, null, undefined, {}]) {
      expect(isErrorCode(v)).toBe(false);
    }
  });
});

describe('SmartSocketError', () => {
  it('keeps a custom message, the cause and the extra fields', () => {
    const cause = new TypeError('boom');
    const err = new SmartSocketError('ERR_RATE_001', 'slow down', {
      cause,
      retryAfter: 1500,
      event: 'chat',
      ackId: 4,
    });
    expect(err.message).toBe('slow down');
    expect(err.cause).toBe(cause);
    expect(err).toMatchObject({ retryAfter: 1500, event: 'chat', ackId: 4 });
    expect(new SmartSocketError('ERR_RATE_001')).not.toHaveProperty('cause');
    expect(err.stack).toContain('slow down');
  });

  it('toJSON is the ERROR frame body, without absent fields or the cause', () => {
    const err = new SmartSocketError('ERR_RATE_002', 'too many', {
      cause: new Error('x'),
      retryAfter: 10,
      event: 'e',
      ackId: 0,
    });
    expect(err.toJSON()).toEqual({
      code: 'ERR_RATE_002',
      message: 'too many',
      event: 'e',
      ackId: 0,
      retryAfter: 10,
    });
    expect(JSON.parse(JSON.stringify(new SmartSocketError('ERR_MW_001')))).toEqual({
      code: 'ERR_MW_001',
      message: 'Rejected by middleware',
    });
  });

  it('fromPayload rebuilds the error and tolerates junk', () => {
    const back = SmartSocketError.fromPayload({
      code: 'ERR_ACK_003',
      message: 'nope',
      event: 'e',
      ackId: 7,
      retryAfter: 5,
    });
    expect(back).toBeInstanceOf(SmartSocketError);
    expect(back).toMatchObject({
      code: 'ERR_ACK_003',
      message: 'nope',
      event: 'e',
      ackId: 7,
      retryAfter: 5,
      closeCode: 1002,
    });
    expect(SmartSocketError.fromPayload({ code: 'ERR_WHAT', message: 'x' }).code).toBe(
      'ERR_MSG_001',
    );
    expect(SmartSocketError.fromPayload({ code: '__proto__' }).code).toBe('ERR_MSG_001');
    for (const junk of [
      null,
      undefined,
      42,
      'ERR_MSG_002',
      [],
      { code: 5, message: {}, ackId: '1' },
    ]) {
      const err = SmartSocketError.fromPayload(junk);
      expect(err.code).toBe('ERR_MSG_001');
      expect(typeof err.message).toBe('string');
      expect(err.ackId).toBeUndefined();
    }
  });

  it('isSmartSocketError also recognises an error from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), {
      name: 'SmartSocketError',
      code: 'ERR_MSG_002',
    });
    expect(isSmartSocketError(foreign)).toBe(true);
    expect(
      isSmartSocketError(Object.assign(new Error('x'), { name: 'SmartSocketError', code: 'E' })),
    ).toBe(false);
    expect(isSmartSocketError(new Error('x'))).toBe(false);
    expect(isSmartSocketError({ name: 'SmartSocketError', code: 'ERR_MSG_002' })).toBe(false);
  });
});
