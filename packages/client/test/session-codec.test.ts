// SessionCodec: compress (threshold, ≥ 10 %, compress(false), negotiation) → seal; open → inflate.
import { parseKey } from '@smartsocket/crypto';
import {
  decodeFrameData,
  decodeFrames,
  encodeFrame,
  type Frame,
  FrameFlag,
  FrameType,
  type MessageInit,
} from '@smartsocket/protocol';
import { describe, expect, it } from 'vitest';
import type { Deflater } from '../src/deflater.js';
import { nodeDeflater } from '../src/node-deflater.js';
import { encodeOutgoing } from '../src/section-codec.js';
import { SessionCodec } from '../src/session-codec.js';

const KEY = parseKey(Buffer.alloc(32, 1).toString('base64'));
const OTHER_KEY = parseKey(Buffer.alloc(32, 2).toString('base64'));
const ANSWER = { caps: { compression: ['deflate'] }, maxPayload: 1 << 20 };

function codec(opts: Partial<ConstructorParameters<typeof SessionCodec>[0]> = {}): SessionCodec {
  return new SessionCodec({ deflater: nodeDeflater, threshold: 1024, level: 6, ...opts });
}

function roundTrip(c: SessionCodec, msg: MessageInit, compress = true): Frame {
  const [frame] = decodeFrames(encodeOutgoing(msg, c, compress));
  return frame!;
}

const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) };
const event = (data: unknown): MessageInit => ({
  type: FrameType.EVENT,
  namespace: '/',
  event: 'e',
  data,
});

/** Flips bits `mask` of an encoded frame's byte at `index` (negative: from the end). */
function flip(bytes: Uint8Array, index: number, mask = 1): Uint8Array {
  const copy = bytes.slice();
  copy[index < 0 ? copy.length + index : index]! ^= mask;
  return copy;
}

describe('SessionCodec compression', () => {
  it('announces deflate only with a deflater, and compresses only after the server agreed', () => {
    expect(codec().announced).toEqual(['deflate']);
    expect(codec({ deflater: undefined }).announced).toEqual([]);
    const c = codec();
    expect(c.transforms).toBe(false);
    expect(roundTrip(c, event(big)).flags & FrameFlag.COMPRESSED).toBe(0);
    c.negotiate({ caps: { compression: [] }, maxPayload: 1 << 20 });
    expect(c.compressing).toBe(false);
    expect(roundTrip(c, event(big)).flags & FrameFlag.COMPRESSED).toBe(0);
    c.negotiate(ANSWER);
    expect(c.compressing).toBe(true);
    const frame = roundTrip(c, event(big));
    expect(frame.flags & FrameFlag.COMPRESSED).toBeTruthy();
    expect(frame.data.length).toBeLessThan(JSON.stringify(big).length / 3);
    expect(decodeFrameData(c.open(frame))).toEqual(big);
  });

  it('leaves sections up to the threshold and compress(false) emits uncompressed', () => {
    const c = codec({ threshold: 2000 });
    c.negotiate(ANSWER);
    const small = { text: 'a'.repeat(1990) }; // 2001 bytes of JSON: just over
    const exact = { text: 'a'.repeat(1989) }; // 2000 bytes: at the threshold
    expect(roundTrip(c, event(exact)).flags & FrameFlag.COMPRESSED).toBe(0);
    expect(roundTrip(c, event(small)).flags & FrameFlag.COMPRESSED).toBeTruthy();
    expect(roundTrip(c, event(small), false).flags & FrameFlag.COMPRESSED).toBe(0);
  });

  it('sends compressed only when it saves at least 10 %', () => {
    const sizes: number[] = [];
    const stub = (ratio: number): Deflater => ({
      deflate: (bytes) => {
        sizes.push(bytes.length);
        return new Uint8Array(Math.floor(bytes.length * ratio));
      },
      inflate: () => new Uint8Array(0),
    });
    const data = { text: 'x'.repeat(1989) }; // a 2000-byte section
    const saves10 = codec({ deflater: stub(0.9) });
    saves10.negotiate(ANSWER);
    expect(roundTrip(saves10, event(data)).flags & FrameFlag.COMPRESSED).toBeTruthy();
    const saves9 = codec({ deflater: stub(0.9005) });
    saves9.negotiate(ANSWER);
    const frame = roundTrip(saves9, event(data));
    expect(frame.flags & FrameFlag.COMPRESSED).toBe(0);
    expect(decodeFrameData(frame)).toEqual(data);
    expect(sizes).toEqual([2000, 2000]);
    // Real data that does not compress (random bytes) goes plain.
    const real = codec();
    real.negotiate(ANSWER);
    const noise = { blob: crypto.getRandomValues(new Uint8Array(4096)) };
    expect(roundTrip(real, event(noise)).flags & FrameFlag.COMPRESSED).toBe(0);
  });

  it('refuses a section over maxPayload before compressing it (ERR_MSG_004)', () => {
    const c = codec();
    c.negotiate({ ...ANSWER, maxPayload: 1500 });
    expect(() => roundTrip(c, event({ text: 'a'.repeat(2000) }))).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_004' }),
    );
  });

  it('inflates what the other side compressed; bounded by the announced maxPayload', () => {
    const c = codec();
    c.negotiate({ ...ANSWER, maxPayload: 5000 });
    const fromServer = (text: string) =>
      decodeFrames(
        encodeFrame({
          type: FrameType.EVENT,
          event: 'e',
          flags: FrameFlag.COMPRESSED,
          data: nodeDeflater.deflate(new TextEncoder().encode(JSON.stringify(text)), 6),
        }),
      )[0]!;
    expect(decodeFrameData(c.open(fromServer('b'.repeat(4000))))).toBe('b'.repeat(4000));
    expect(() => c.open(fromServer('b'.repeat(6000)))).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_004' }),
    );
    const corrupt = { ...fromServer('b'.repeat(100)), data: new Uint8Array([0xff, 0xff, 0x00]) };
    expect(() => c.open(corrupt)).toThrow(expect.objectContaining({ code: 'ERR_MSG_002' }));
    // A client that did not announce deflate refuses compressed frames.
    expect(() => codec({ deflater: undefined }).open(fromServer('b'))).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_002' }),
    );
  });
});

describe('SessionCodec sealing', () => {
  it('seals every frame, the empty ones too, and opens them', () => {
    const c = codec({ key: KEY, deflater: undefined });
    expect(c.transforms).toBe(true);
    for (const msg of [
      event({ secret: 'plaintext-marker' }),
      { type: FrameType.HEARTBEAT, namespace: '/', data: undefined },
      { type: FrameType.DISCONNECT, namespace: '/', data: { reason: 'bye' } },
    ] as MessageInit[]) {
      const bytes = encodeOutgoing(msg, c);
      expect(Buffer.from(bytes).includes('plaintext-marker')).toBe(false);
      const [frame] = decodeFrames(bytes);
      expect(frame!.flags & FrameFlag.ENCRYPTED).toBeTruthy();
      expect(frame!.data.length).toBeGreaterThanOrEqual(28);
      const plain = c.open(frame!);
      expect(plain.flags & FrameFlag.ENCRYPTED).toBe(0);
      expect(decodeFrameData(plain)).toEqual(msg.data);
    }
  });

  it('compresses then seals; opens then inflates', () => {
    const c = codec({ key: KEY });
    c.negotiate(ANSWER);
    const frame = roundTrip(c, { ...event(big), ackId: 3 });
    expect(frame.flags & (FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED)).toBe(
      FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED,
    );
    // The sealed section is the compressed one: opening it by hand gives raw DEFLATE.
    const section = KEY.open(frame.data, frame.aad);
    expect(section.length).toBe(frame.data.length - 28);
    expect(decodeFrameData(c.open(frame))).toEqual(big);
  });

  it('tampering, a wrong key, a moved header or an unsealed frame are ERR_MSG_003', () => {
    const c = codec({ key: KEY });
    c.negotiate(ANSWER);
    const bytes = encodeOutgoing({ ...event(big), ackId: 9 }, c);
    const open = (b: Uint8Array, k = c) => k.open(decodeFrames(b)[0]!);
    expect(decodeFrameData(open(bytes))).toEqual(big);
    const err = expect.objectContaining({ code: 'ERR_MSG_003' });
    expect(() => open(flip(bytes, -1))).toThrow(err); // tag
    expect(() => open(flip(bytes, -40))).toThrow(err); // ciphertext
    expect(() => open(flip(bytes, 5))).toThrow(err); // header ('/' → '.'): the AAD
    expect(() => open(bytes, codec({ key: OTHER_KEY }))).toThrow(err);
    // The COMPRESSED flag is authenticated too.
    expect(bytes[2]! & FrameFlag.COMPRESSED).toBeTruthy();
    expect(() => open(flip(bytes, 2, FrameFlag.COMPRESSED))).toThrow(err);
    const unsealed = encodeOutgoing(event({ a: 1 }), undefined);
    expect(() => open(unsealed)).toThrow(err);
  });

  it('without a key, an encrypted frame is ERR_MSG_003', () => {
    const sealed = encodeOutgoing(event({ a: 1 }), codec({ key: KEY }));
    expect(() => codec().open(decodeFrames(sealed)[0]!)).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_003' }),
    );
  });
});
