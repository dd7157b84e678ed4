// fast-check arbitraries: frames, and JSON values with binary values mixed in anywhere.
import fc from 'fast-check';
import { FrameFlag, FrameType, type MessageInit } from '../src/index.js';

/** Binary values of every kind the codec accepts. */
export const binaryArb: fc.Arbitrary<ArrayBufferView | ArrayBuffer> = fc.oneof(
  fc.uint8Array({ maxLength: 48 }),
  fc.uint8Array({ maxLength: 48 }).map((a) => Buffer.from(a)),
  fc.int16Array({ maxLength: 16 }),
  fc.float64Array({ maxLength: 8 }),
  fc.bigInt64Array({ maxLength: 4 }),
  fc.uint8Array({ maxLength: 32 }).map((a) => a.slice().buffer),
  // A view into the middle of a larger buffer: only the viewed bytes may travel.
  fc
    .tuple(fc.uint8Array({ minLength: 8, maxLength: 32 }), fc.nat(4), fc.nat(4))
    .map(([a, start, end]) => new DataView(a.buffer, start, a.length - start - end)),
);

// Keys the decoder deliberately removes or reserves are not expected to survive a round trip.
const keyArb = fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__' && k !== '__ssbin');

const primitiveArb = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

/** JSON values (objects, arrays, primitives) with binary values anywhere, including the root. */
export const valueWithBinaryArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitiveArb,
    binaryArb,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(keyArb, tie('value'), { maxKeys: 5, noNullPrototype: true }),
  ),
})).value;

/** What a value looks like after a round trip: binary → Uint8Array of its bytes. */
export function expectedAfterRoundTrip(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value))
    return new Uint8Array(
      value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength),
    );
  if (Array.isArray(value)) return value.map(expectedAfterRoundTrip);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expectedAfterRoundTrip(v);
    return out;
  }
  return value;
}

const nameArb = fc.string({ unit: 'grapheme', maxLength: 20 });

/** A message header: any frame type, names (ASCII and not), optional ack id. */
export const headArb = fc
  .record({
    type: fc.constantFrom(...Object.values(FrameType)),
    namespace: nameArb.map((n) => `/${n}`),
    event: nameArb,
    ackId: fc.option(fc.nat({ max: 0xffff_ffff }), { nil: undefined }),
  })
  .map((h) => (h.type === FrameType.ACK && h.ackId === undefined ? { ...h, ackId: 1 } : h));

/** A value-level message built from {@link headArb} and {@link valueWithBinaryArb}. */
export const messageArb: fc.Arbitrary<MessageInit> = fc
  .tuple(headArb, fc.option(valueWithBinaryArb, { nil: undefined }))
  .map(([head, data]) => ({ ...head, data }));

/** Flags an encoded frame may carry through `encodeFrame`. */
export const passThroughFlagsArb = fc
  .subarray([FrameFlag.COMPRESSED, FrameFlag.ENCRYPTED, FrameFlag.BINARY])
  .map((bits) => bits.reduce((a, b) => a | b, 0));
