// Fuzz properties: on any input the decoder returns frames or throws SmartSocketError
// ERR_MSG_001 / ERR_MSG_004 — never a RangeError, never an allocation the input did not pay for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeData,
  decodeFrameData,
  decodeFrames,
  encodeData,
  encodeMessage,
  FrameFlag,
  FrameType,
} from '../src/index.js';
import { messageArb, valueWithBinaryArb } from './arbitraries.js';
import { expectCode, hex, onlyThrows } from './helpers.js';

/** Decodes a message and every plain data section in it; errors must be coded. */
function decodeAll(bytes: Uint8Array, maxPayload?: number): void {
  onlyThrows(
    () => {
      for (const frame of decodeFrames(bytes, { maxPayload })) {
        if (!(frame.flags & (FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED))) decodeFrameData(frame);
      }
    },
    'ERR_MSG_001',
    'ERR_MSG_004',
  );
}

describe('decoder fuzz (property)', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => decodeAll(bytes)),
      { numRuns: 2000 },
    );
  });

  it('random bytes behind a valid version byte and frame type', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.uint8Array({ maxLength: 200 }),
        (type, tail) => {
          decodeAll(Uint8Array.from([1, type, ...tail]), 64);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('every truncation of a valid frame is ERR_MSG_001', () => {
    fc.assert(
      fc.property(messageArb, fc.double({ min: 0, max: 1, noNaN: true }), (msg, at) => {
        const bytes = encodeMessage(msg);
        const cut = Math.min(bytes.length - 1, Math.max(1, Math.floor(at * bytes.length)));
        expectCode(() => decodeFrames(bytes.subarray(0, cut)), 'ERR_MSG_001');
      }),
      { numRuns: 1000 },
    );
  });

  it('bit flips of valid frames', () => {
    fc.assert(
      fc.property(
        messageArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        (msg, positions) => {
          const bytes = encodeMessage(msg).slice();
          for (const p of positions) bytes[(p >>> 3) % bytes.length]! ^= 1 << (p & 7);
          decodeAll(bytes);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('bit flips inside binary data sections', () => {
    fc.assert(
      fc.property(valueWithBinaryArb, fc.nat(), (value, p) => {
        const { bytes, binary } = encodeData(value);
        if (bytes.length === 0) return;
        const flipped = bytes.slice();
        flipped[(p >>> 3) % flipped.length]! ^= 1 << (p & 7);
        onlyThrows(() => decodeData(flipped, binary), 'ERR_MSG_001');
      }),
      { numRuns: 1500 },
    );
  });

  it('huge declared dataLen: ERR_MSG_004 above maxPayload (checked first), ERR_MSG_001 below', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), fc.nat({ max: 1 << 20 }), (dataLen, maxPayload) => {
        const frame = hex('010600 00012f 0000 00000000');
        new DataView(frame.buffer).setUint32(8, dataLen);
        if (dataLen === 0) return;
        expectCode(
          () => decodeFrames(frame, { maxPayload }),
          dataLen > maxPayload ? 'ERR_MSG_004' : 'ERR_MSG_001',
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('huge declared nsLen / evLen / jsonLength / attachment length are ERR_MSG_001', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 0xffff }), fc.nat({ max: 0xffff_ffff }), (u16, u32) => {
        expectCode(
          () => decodeFrames(hex(`010300 ${u16.toString(16).padStart(4, '0')} 2f 0000 00000000`)),
          'ERR_MSG_001',
        );
        expectCode(
          () => decodeFrames(hex(`010300 00012f ${u16.toString(16).padStart(4, '0')} 61 00000000`)),
          'ERR_MSG_001',
        );
        const u32hex = u32.toString(16).padStart(8, '0');
        if (u32 > 2) expectCode(() => decodeData(hex(`${u32hex} 7b7d`), true), 'ERR_MSG_001');
        if (u32 > 0)
          expectCode(() => decodeData(hex(`00000002 7b7d ${u32hex}`), true), 'ERR_MSG_001');
      }),
      { numRuns: 500 },
    );
  });

  it('declared lengths never turn into allocations', () => {
    // 4 GiB declared in every length field, a thousand times: if any of it were allocated or
    // copied before the bounds check, ArrayBuffer memory would grow by gigabytes.
    const before = process.memoryUsage().arrayBuffers;
    const frames = [
      hex('010300 00012f 0000 ffffffff'),
      hex('010310 00012f 0000 0000000c ffffffff 7b7d 00000000'),
    ];
    for (let i = 0; i < 1000; i++) {
      expectCode(() => decodeFrames(frames[0]!, { maxPayload: 0xffff_ffff }), 'ERR_MSG_001');
      expectCode(() => decodeFrameData(decodeFrames(frames[1]!)[0]!), 'ERR_MSG_001');
      expectCode(() => decodeData(hex('00000002 7b7d ffffffff'), true), 'ERR_MSG_001');
    }
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('the decoder copies nothing: data and aad are views of the input', () => {
    const bytes = encodeMessage({ type: FrameType.EVENT, event: 'e', ackId: 3, data: { a: 1 } });
    const [frame] = decodeFrames(bytes);
    expect(frame!.data.buffer).toBe(bytes.buffer);
    expect(frame!.aad.buffer).toBe(bytes.buffer);
  });
});
