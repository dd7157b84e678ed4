// Property tests: whatever goes in comes out, for any frame header and any JSON-with-binary value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concatFrames,
  decodeData,
  decodeFrameData,
  decodeFrames,
  encodeData,
  encodeFrame,
  encodeMessage,
  FrameFlag,
  FrameType,
  frameAad,
} from '../src/index.js';
import {
  expectedAfterRoundTrip,
  headArb,
  messageArb,
  passThroughFlagsArb,
  valueWithBinaryArb,
} from './arbitraries.js';

describe('round trip (property)', () => {
  it('encodeMessage → decodeFrames → decodeFrameData gives back header and value', () => {
    fc.assert(
      fc.property(messageArb, (msg) => {
        const [frame, ...rest] = decodeFrames(encodeMessage(msg));
        expect(rest).toHaveLength(0);
        expect(frame!.type).toBe(msg.type);
        expect(frame!.namespace).toBe(msg.namespace);
        expect(frame!.event).toBe(msg.type === FrameType.EVENT ? msg.event : '');
        expect(frame!.ackId).toBe(msg.ackId);
        expect(decodeFrameData(frame!)).toStrictEqual(expectedAfterRoundTrip(msg.data));
      }),
      { numRuns: 400 },
    );
  });

  it('encodeData → decodeData, with the binary layout exactly when the value holds binary', () => {
    fc.assert(
      fc.property(valueWithBinaryArb, (value) => {
        const { bytes, binary } = encodeData(value);
        expect(decodeData(bytes, binary)).toStrictEqual(expectedAfterRoundTrip(value));
        if (!binary) expect(new TextDecoder().decode(bytes)).toBe(JSON.stringify(value) ?? '');
      }),
      { numRuns: 400 },
    );
  });

  it('encodeFrame keeps flags and data bytes as given; aad equals frameAad', () => {
    fc.assert(
      fc.property(
        headArb,
        passThroughFlagsArb,
        fc.uint8Array({ maxLength: 64 }),
        (head, flags, data) => {
          const init = { ...head, flags };
          const [frame] = decodeFrames(encodeFrame({ ...init, data }));
          const ackFlag =
            head.ackId !== undefined && head.type !== FrameType.ACK ? FrameFlag.ACK : 0;
          expect(frame!.flags).toBe(flags | ackFlag);
          expect(frame!.data).toEqual(data);
          expect(frame!.aad).toEqual(frameAad(init));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('several frames in one message decode in order', () => {
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 6 }), (msgs) => {
        const frames = decodeFrames(concatFrames(msgs.map((m) => encodeMessage(m))));
        expect(frames.map((f) => f.type)).toEqual(msgs.map((m) => m.type));
        frames.forEach((f, i) => {
          expect(decodeFrameData(f)).toStrictEqual(expectedAfterRoundTrip(msgs[i]!.data));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('frames handed out earlier are never overwritten by later encodes', () => {
    const kept = Array.from({ length: 3000 }, (_, i) => ({
      i,
      bytes: encodeMessage({
        type: FrameType.EVENT,
        event: `e${i}`,
        data: { i, pad: 'x'.repeat(i % 700) },
      }),
    }));
    for (const { i, bytes } of kept) {
      const [frame] = decodeFrames(bytes);
      expect(frame!.event).toBe(`e${i}`);
      expect(decodeFrameData(frame!)).toEqual({ i, pad: 'x'.repeat(i % 700) });
    }
  });

  it('large values take the scratch and one-off paths and still round trip', () => {
    for (const size of [5_000, 100_000, 400_000]) {
      const data = { s: 'é'.repeat(size), list: Array.from({ length: 50 }, (_, i) => i) };
      const bytes = encodeMessage({ type: FrameType.EVENT, event: 'big', data });
      expect(decodeFrameData(decodeFrames(bytes)[0]!)).toEqual(data);
    }
  });
});

describe('Node Buffer input (what ws hands over)', () => {
  it('decodes from a Buffer; attachments are plain Uint8Array copies', () => {
    fc.assert(
      fc.property(messageArb, (msg) => {
        const encoded = encodeMessage(msg);
        // A Buffer view at an offset inside a larger allocation, like a ws receive buffer.
        const backing = Buffer.alloc(encoded.length + 16, 0xee);
        backing.set(encoded, 8);
        const input = backing.subarray(8, 8 + encoded.length);
        const [frame] = decodeFrames(input);
        const value = decodeFrameData(frame!);
        expect(value).toStrictEqual(expectedAfterRoundTrip(msg.data));
        backing.fill(0); // attachments must not alias the received bytes
        expect(value).toStrictEqual(expectedAfterRoundTrip(msg.data));
      }),
      { numRuns: 200 },
    );
  });
});
