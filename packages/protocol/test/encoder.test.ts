// Encoder contract: flags it derives, values it refuses (with which code), binary detection.
import { describe, expect, it } from 'vitest';
import {
  decodeFrameData,
  decodeFrames,
  encodeData,
  encodeFrame,
  encodeMessage,
  FrameFlag,
  FrameType,
  frameAad,
  hasBinary,
  isBinary,
  MAX_NAME_BYTES,
} from '../src/index.js';
import { expectCode } from './helpers.js';

const roundTrip = (data: unknown): unknown =>
  decodeFrameData(decodeFrames(encodeMessage({ type: FrameType.EVENT, event: 'e', data }))[0]!);

describe('encoder', () => {
  it('ack ids must be u32 (ERR_ACK_002); an ACK frame must carry one', () => {
    for (const ackId of [-1, 1.5, 2 ** 32, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectCode(() => encodeMessage({ type: FrameType.EVENT, event: 'e', ackId }), 'ERR_ACK_002');
      expectCode(() => encodeFrame({ type: FrameType.EVENT, event: 'e', ackId }), 'ERR_ACK_002');
      expectCode(() => frameAad({ type: FrameType.EVENT, event: 'e', ackId }), 'ERR_ACK_002');
    }
    expectCode(() => encodeMessage({ type: FrameType.ACK, data: 1 }), 'ERR_ACK_002');
    expectCode(() => encodeFrame({ type: FrameType.ACK }), 'ERR_ACK_002');
    expect(decodeFrames(encodeMessage({ type: FrameType.ACK, ackId: 0 }))[0]!.ackId).toBe(0);
  });

  it('names longer than 65535 UTF-8 bytes are ERR_MSG_001; exactly 65535 is fine', () => {
    expectCode(
      () => encodeMessage({ type: FrameType.EVENT, event: 'e'.repeat(MAX_NAME_BYTES + 1) }),
      'ERR_MSG_001',
    );
    expectCode(
      () => encodeFrame({ type: FrameType.EVENT, namespace: `/${'é'.repeat(40_000)}` }),
      'ERR_MSG_001',
    );
    const ok = encodeMessage({ type: FrameType.EVENT, event: 'e'.repeat(MAX_NAME_BYTES) });
    expect(decodeFrames(ok)[0]!.event).toHaveLength(MAX_NAME_BYTES);
  });

  it('only EVENT frames carry the event name; namespace defaults to "/"', () => {
    const [frame] = decodeFrames(
      encodeMessage({ type: FrameType.ERROR, event: 'ignored', data: {} }),
    );
    expect(frame).toMatchObject({ event: '', namespace: '/' });
  });

  it('encodeMessage sets BINARY when the value holds binary and clears a stray one', () => {
    expect(
      decodeFrames(encodeMessage({ type: FrameType.EVENT, data: [new Uint8Array(1)] }))[0]!.flags,
    ).toBe(FrameFlag.BINARY);
    const stray = encodeMessage({ type: FrameType.EVENT, flags: FrameFlag.BINARY, data: { a: 1 } });
    expect(decodeFrames(stray)[0]!.flags).toBe(0);
    expect(decodeFrameData(decodeFrames(stray)[0]!)).toEqual({ a: 1 });
    // The ACK bit comes from ackId alone.
    expect(
      decodeFrames(encodeMessage({ type: FrameType.EVENT, flags: FrameFlag.ACK }))[0]!.flags,
    ).toBe(0);
  });

  it('values JSON cannot carry are ERR_MSG_001: cycles, BigInt', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    cyclic.again = cyclic;
    cyclic.list = [cyclic, cyclic];
    expectCode(() => encodeMessage({ type: FrameType.EVENT, data: cyclic }), 'ERR_MSG_001');
    cyclic.file = new Uint8Array(2);
    expectCode(() => encodeMessage({ type: FrameType.EVENT, data: cyclic }), 'ERR_MSG_001');
    expectCode(() => encodeData(cyclic), 'ERR_MSG_001');
    expectCode(() => encodeMessage({ type: FrameType.EVENT, data: { n: 1n } }), 'ERR_MSG_001');
  });

  it('a wide cyclic graph is refused quickly, not walked exponentially', () => {
    const node: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) node[`k${i}`] = node;
    expect(hasBinary(node)).toBe(false);
    expectCode(() => encodeMessage({ type: FrameType.EVENT, data: node }), 'ERR_MSG_001');
  });

  it('a shared (non-cyclic) binary value is sent twice', () => {
    const bytes = new Uint8Array([7]);
    expect(roundTrip({ a: bytes, b: [bytes] })).toEqual({
      a: new Uint8Array([7]),
      b: [new Uint8Array([7])],
    });
  });

  it('undefined data is an empty section; undefined inside objects is dropped as JSON does', () => {
    const bytes = encodeMessage({ type: FrameType.EVENT, event: 'e' });
    expect(decodeFrames(bytes)[0]!.data).toHaveLength(0);
    expect(roundTrip(undefined)).toBeUndefined();
    expect(roundTrip({ a: undefined, b: [undefined], c: new Date(0) })).toEqual({
      b: [null],
      c: '1970-01-01T00:00:00.000Z',
    });
    expect(roundTrip(null)).toBeNull();
    expect(roundTrip('')).toBe('');
    expect(roundTrip(0)).toBe(0);
  });

  it('binary detection: typed arrays, DataView, ArrayBuffer, Buffer; toJSON objects are left alone', () => {
    for (const b of [
      new Uint8Array(1),
      new Float32Array(1),
      new DataView(new ArrayBuffer(2)),
      new ArrayBuffer(1),
      Buffer.alloc(1),
    ]) {
      expect(isBinary(b)).toBe(true);
      expect(hasBinary({ deep: [{ b }] })).toBe(true);
    }
    for (const v of [
      null,
      1,
      'x',
      [],
      {},
      [[{}]],
      { toJSON: () => new Uint8Array(1) },
      new Date(),
    ]) {
      expect(hasBinary(v)).toBe(false);
    }
    // Only the viewed bytes of a typed array travel, not its whole buffer.
    const big = new Uint8Array([0, 1, 2, 3, 4, 5]);
    expect(roundTrip(big.subarray(2, 4))).toEqual(new Uint8Array([2, 3]));
    expect(roundTrip(Buffer.from('hi'))).toEqual(new Uint8Array([0x68, 0x69]));
  });
});
