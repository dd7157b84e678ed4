// SessionCodec: compress (threshold, ≥ 10 %, compress(false), negotiation) → seal; open → inflate.
import { deflateRawSync } from 'node:zlib';
import {
  answerKey,
  decodeSessionNonce,
  encodeSessionNonce,
  groupKey,
  NonceKind,
  openFrame,
  parseKey,
  randomSessionNonce,
  type SectionSealer,
  SequencedKey,
  SessionCipher,
  sealFrame,
} from '@smartsocket/crypto';
import {
  decodeFrameData,
  decodeFrames,
  encodeData,
  encodeFrame,
  type Frame,
  FrameFlag,
  FrameType,
  frameAad,
  type MessageInit,
} from '@smartsocket/protocol';
import { describe, expect, it } from 'vitest';
import type { Deflater } from '../src/deflater.js';
import { nodeDeflater } from '../src/node-deflater.js';
import * as sealing from '../src/sealing.js';
import { encodeOutgoing as encodeAny } from '../src/section-codec.js';
import { SessionCodec } from '../src/session-codec.js';

const KEY = parseKey(Buffer.alloc(32, 1).toString('base64'));
const ANSWER = { caps: { compression: ['deflate'] }, maxPayload: 1 << 20 };

/** With node:zlib everything is synchronous: these tests read results directly. */
const encodeOutgoing = (...args: Parameters<typeof encodeAny>) => encodeAny(...args) as Uint8Array;
class SyncCodec extends SessionCodec {
  override open(frame: Frame): Frame {
    return super.open(frame) as Frame;
  }
}

function codec(opts: Partial<ConstructorParameters<typeof SessionCodec>[0]> = {}): SyncCodec {
  return new SyncCodec({ deflater: nodeDeflater, sealing, threshold: 1024, level: 6, ...opts });
}

function roundTrip(c: SyncCodec, msg: MessageInit, compress = true): Frame {
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

const head = { type: FrameType.EVENT, namespace: '/', event: 'e' } as const;
const sealedBy = (sealer: SectionSealer, data: unknown, flags = 0) =>
  decodeFrames(sealFrame(sealer, { ...head, flags }, encodeData(data).bytes))[0]!;

/** A client codec after a sealed handshake, and the server side of its session. */
function session(opts: Partial<ConstructorParameters<typeof SessionCodec>[0]> = {}) {
  const c = codec({ key: KEY, ...opts });
  const clientNonce = decodeSessionNonce(c.connectNonce)!;
  const serverNonce = randomSessionNonce();
  const salt = randomSessionNonce();
  const group = new SequencedKey(groupKey(KEY, salt), NonceKind.GROUP);
  // A broadcast sealed before this session joined: the answer's `seq` already counts it.
  const stale = sealFrame(group, head, encodeData({ old: true }).bytes);
  c.negotiate({
    ...ANSWER,
    nonce: encodeSessionNonce(serverNonce),
    group: { salt: encodeSessionNonce(salt), seq: group.counter },
  });
  return { c, server: SessionCipher.forServer(KEY, clientNonce, serverNonce), group, stale };
}

describe('SessionCodec sealing', () => {
  it('seals the CONNECT with the shared key, opens the answer with the key of its nonce', () => {
    const c = codec({ key: KEY, deflater: undefined });
    expect(c.transforms).toBe(true);
    const connect = decodeFrames(
      encodeOutgoing(
        { type: FrameType.CONNECT, namespace: '/', data: { nonce: c.connectNonce } },
        c,
      ),
    )[0]!;
    expect(decodeFrameData({ flags: 0, data: openFrame(KEY, connect) })).toEqual({
      nonce: c.connectNonce,
    });
    const nonce = decodeSessionNonce(c.connectNonce)!;
    const answer = decodeFrames(
      sealFrame(
        answerKey(KEY, nonce),
        { type: FrameType.CONNECT, namespace: '/' },
        encodeData({ id: 'x' }).bytes,
      ),
    )[0]!;
    expect(decodeFrameData(c.open(answer))).toEqual({ id: 'x' });
    // An answer sealed for another CONNECT (another nonce), or with the shared key, does not open.
    const err = expect.objectContaining({ code: 'ERR_MSG_003' });
    expect(() => codec({ key: KEY }).open(answer)).toThrow(err);
    expect(() => c.open(sealedBy(KEY, { id: 'x' }))).toThrow(err);
    // Each attempt draws a fresh nonce.
    expect(codec({ key: KEY }).connectNonce).not.toBe(c.connectNonce);
    expect(codec().connectNonce).toBeUndefined();
  });

  it('an answer without the session nonce or group fails the handshake (ERR_CONN_003)', () => {
    const err = expect.objectContaining({ code: 'ERR_CONN_003' });
    expect(() => codec({ key: KEY }).negotiate(ANSWER)).toThrow(err);
    const nonce = encodeSessionNonce(randomSessionNonce());
    expect(() => codec({ key: KEY }).negotiate({ ...ANSWER, nonce })).toThrow(err);
    expect(() =>
      codec({ key: KEY }).negotiate({ ...ANSWER, nonce, group: { salt: nonce, seq: -1 } }),
    ).toThrow(err);
  });

  it('after the handshake: every frame sealed with the session keys, both ways', () => {
    const { c, server } = session({ deflater: undefined });
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
      expect(decodeFrameData({ flags: 0, data: openFrame(server, frame!) })).toEqual(msg.data);
      // Not with the shared key any more.
      expect(() => openFrame(KEY, frame!)).toThrow();
    }
    const plain = c.open(sealedBy(server, { down: true }));
    expect(plain.flags & FrameFlag.ENCRYPTED).toBe(0);
    expect(decodeFrameData(plain)).toEqual({ down: true });
  });

  it('compresses then seals; opens then inflates', () => {
    const { c, server } = session();
    const frame = roundTrip(c, { ...event(big), ackId: 3 });
    expect(frame.flags & (FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED)).toBe(
      FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED,
    );
    // The sealed section is the compressed one: opening it by hand gives raw DEFLATE.
    const section = openFrame(server, frame);
    expect(section.length).toBe(frame.data.length - 28);
    const down = encodeFrame({
      ...head,
      flags: FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED,
      data: server.seal(
        deflateRawSync(encodeData(big).bytes),
        frameAad({ ...head, flags: FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED }),
      ),
    });
    expect(decodeFrameData(c.open(decodeFrames(down)[0]!))).toEqual(big);
  });

  it('tampered, replayed, reordered, reflected or cross-session frames are ERR_MSG_003', () => {
    const { c, server } = session();
    const other = session();
    const err = expect.objectContaining({ code: 'ERR_MSG_003' });
    const first = sealFrame(server, head, encodeData({ n: 1 }).bytes);
    const second = sealFrame(server, head, encodeData({ n: 2 }).bytes);
    const third = sealFrame(server, head, encodeData({ n: 3 }).bytes);
    const open = (b: Uint8Array, k = c) => k.open(decodeFrames(b)[0]!);
    expect(() => open(flip(third, -1))).toThrow(err); // tag
    expect(() => open(flip(third, -20))).toThrow(err); // ciphertext
    expect(() => open(flip(third, 5))).toThrow(err); // header ('/' → '.'): the AAD
    expect(() => open(first, other.c)).toThrow(err); // another session
    expect(decodeFrameData(open(second))).toEqual({ n: 2 });
    expect(() => open(second)).toThrow(err); // replayed
    expect(() => open(first)).toThrow(err); // reordered (older than one opened)
    expect(decodeFrameData(open(third))).toEqual({ n: 3 });
    // Our own frame sent back to us (reflected) does not open: another key, another direction.
    expect(() => open(encodeOutgoing(event({ a: 1 }), c))).toThrow(err);
    // The COMPRESSED flag is authenticated too.
    const packed = encodeOutgoing({ ...event(big), ackId: 9 }, c);
    expect(packed[2]! & FrameFlag.COMPRESSED).toBeTruthy();
    expect(() =>
      openFrame(server, decodeFrames(flip(packed, 2, FrameFlag.COMPRESSED))[0]!),
    ).toThrow(err);
    const unsealed = encodeOutgoing(event({ a: 1 }), undefined);
    expect(() => open(unsealed)).toThrow(err);
  });

  it('group broadcasts: opened above the counter learned in the answer, once', () => {
    const { c, group, stale } = session();
    const err = expect.objectContaining({ code: 'ERR_MSG_003' });
    expect(() => c.open(decodeFrames(stale)[0]!)).toThrow(err);
    const news = sealedBy(group, { news: 1 });
    expect(decodeFrameData(c.open(news))).toEqual({ news: 1 });
    expect(() => c.open(news)).toThrow(err);
  });

  it('without a key, an encrypted frame is ERR_MSG_003', () => {
    const sealed = encodeOutgoing(event({ a: 1 }), codec({ key: KEY }));
    expect(() => codec().open(decodeFrames(sealed)[0]!)).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_003' }),
    );
  });
});
