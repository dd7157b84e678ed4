// Encryption against the protocol peer: sealed CONNECT and frames, wrong/missing key, frames that
// do not open after the handshake, the key as a function, the client side of a key rotation.
import { sealFrame } from '@smartsocket/crypto';
import {
  decodeFrameData,
  decodeFrames,
  encodeData,
  FrameFlag,
  FrameType,
} from '@smartsocket/protocol';
import { describe, expect, it } from 'vitest';
import { makeClient, next, quiet, record, startPeer } from './helpers/setup.js';

const KEY = Buffer.alloc(32, 11).toString('base64');
const NEW_KEY = Buffer.alloc(32, 22).toString('base64');
const WRONG = Buffer.alloc(32, 33).toString('base64');
const sealed = (flags: number) => (flags & FrameFlag.ENCRYPTED) !== 0;

describe('encryption (protocol peer)', () => {
  it('seals the CONNECT and every frame both ways; nothing readable on the wire', async () => {
    const peer = await startPeer({ keys: [KEY], heartbeatInterval: 20 });
    const client = makeClient(peer.url, { encryptionKey: KEY, apiKey: 'api-secret-marker' });
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    expect(sealed(socket.connectFrame!.flags)).toBe(true);
    expect(Buffer.from(socket.connectFrame!.data).includes('api-secret-marker')).toBe(false);
    expect(socket.connectBody).toMatchObject({ apiKey: 'api-secret-marker' });
    // Client → server: an event with an ack, and heartbeats.
    const res = client.emitWithAck('save', { text: 'event-secret-marker' });
    const got = await socket.nextEvent('save');
    expect(got.data).toEqual({ text: 'event-secret-marker' });
    socket.ack(got.ackId!, { ok: 'ack-secret-marker' });
    expect(await res).toEqual({ ok: 'ack-secret-marker' });
    await socket.nextFrame((f) => f.type === FrameType.HEARTBEAT);
    // Server → client: an event the client acks.
    const news = next(client, 'news');
    socket.emit('news', { n: 1 }, 7);
    const [data, ack] = await news;
    expect(data).toEqual({ n: 1 });
    ack('answer-secret-marker');
    const answer = await socket.nextFrame((f) => f.type === FrameType.ACK);
    expect(decodeFrameData(answer)).toBe('answer-secret-marker');
    // A latency was measured: the client opened the peer's sealed HEARTBEAT_ACK.
    await expect.poll(() => client.latency).toBeDefined();
    client.disconnect();
    await socket.nextFrame((f) => f.type === FrameType.DISCONNECT);
    expect(socket.wire.length).toBeGreaterThanOrEqual(4);
    expect(socket.wire.every((f) => sealed(f.flags))).toBe(true);
    expect(socket.badFrames).toEqual([]);
    for (const f of socket.wire) expect(Buffer.from(f.data).includes('secret-marker')).toBe(false);
    for (const bytes of socket.sent) {
      for (const f of decodeFrames(bytes)) expect(sealed(f.flags)).toBe(true);
      expect(Buffer.from(bytes).includes('secret-marker')).toBe(false);
    }
  });

  it('a wrong key: connect() rejects with ERR_CONN_004 and never retries', async () => {
    const peer = await startPeer({ keys: [KEY] });
    const client = makeClient(peer.url, {
      encryptionKey: WRONG,
      maxReconnectAttempts: Number.POSITIVE_INFINITY,
    });
    const log = record(client, ['reconnecting', 'error']);
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONN_004' });
    await quiet(80);
    expect(peer.upgrades).toBe(1);
    expect(peer.refusals).toBe(1);
    expect(log.map((l) => [l[0], l[1].code])).toEqual([['error', 'ERR_CONN_004']]);
  });

  it('no key against a server that requires one: ERR_CONN_004', async () => {
    const peer = await startPeer({ keys: [KEY] });
    const client = makeClient(peer.url, { maxReconnectAttempts: 3 });
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONN_004' });
    expect(peer.upgrades).toBe(1);
  });

  it('after the handshake, unsealed or tampered frames are ERR_MSG_003 and dropped', async () => {
    const peer = await startPeer({ keys: [KEY] });
    const client = makeClient(peer.url, { encryptionKey: KEY });
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    const seen: unknown[] = [];
    client.on('news', (d: unknown) => seen.push(d));
    const errors = record(client, ['error', 'disconnected']);
    socket.send(FrameType.EVENT, { forged: true }, { event: 'news' }, { plain: true });
    // A sealed frame with one ciphertext bit flipped.
    const good = sealFrame(
      socket.cipher!,
      { type: FrameType.EVENT, namespace: '/', event: 'news' },
      encodeData({ tampered: true }).bytes,
    );
    const bad = good.slice();
    bad[bad.length - 20]! ^= 1;
    socket.sendRaw(bad);
    // An unsealed ERROR after the handshake is not accepted either.
    socket.send(FrameType.ERROR, { code: 'ERR_CONN_004', message: 'forged' }, {}, { plain: true });
    const arrived = next(client, 'news');
    socket.emit('news', { genuine: true });
    expect(await arrived).toEqual([{ genuine: true }]);
    expect(seen).toEqual([{ genuine: true }]);
    expect(errors.map((l) => [l[0], l[1].code])).toEqual([
      ['error', 'ERR_MSG_003'],
      ['error', 'ERR_MSG_003'],
      ['error', 'ERR_MSG_003'],
    ]);
    expect(client.connected).toBe(true);
  });

  it('an unsealed CONNECT answer fails the handshake (ERR_CONN_003)', async () => {
    const peer = await startPeer({
      keys: [KEY],
      handshake: (_body, socket) => {
        socket.key = undefined; // answer in the clear
        return { accept: true };
      },
    });
    const client = makeClient(peer.url, { encryptionKey: KEY, maxReconnectAttempts: 0 });
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONN_003' });
  });

  it('a CONNECT answer captured from another handshake does not open (ERR_CONN_003)', async () => {
    let captured: Uint8Array | undefined;
    const peer = await startPeer({
      keys: [KEY],
      handshake: (_body, socket) => {
        if (!captured) return { accept: true };
        socket.sendRaw(captured); // the first session's sealed answer, replayed
        return 'silent';
      },
    });
    const first = makeClient(peer.url, { encryptionKey: KEY });
    const ready = peer.nextReady();
    await first.connect();
    captured = (await ready).sent[0];
    const second = makeClient(peer.url, { encryptionKey: KEY, maxReconnectAttempts: 0 });
    await expect(second.connect()).rejects.toMatchObject({ code: 'ERR_CONN_003' });
  });

  it('takes the key from an async function, asked before every attempt', async () => {
    const peer = await startPeer({ keys: [KEY] });
    let calls = 0;
    const client = makeClient(peer.url, {
      encryptionKey: async () => {
        calls++;
        await quiet(5);
        return KEY;
      },
    });
    const first = peer.nextReady();
    await client.connect();
    expect(calls).toBe(1);
    const back = next(client, 'reconnected');
    (await first).terminate();
    await back;
    expect(calls).toBe(2);
    const socket = peer.sockets.at(-1)!;
    client.emit('hi', 1);
    expect((await socket.nextEvent('hi')).data).toBe(1);
  });

  it('a key function that fails or returns a bad key: ERR_CONFIG_001, nothing opened', async () => {
    const peer = await startPeer({ keys: [KEY] });
    const cases = [
      () => 'not a key',
      async () => 'c2hvcnQ=',
      () => {
        throw new Error('vault unreachable');
      },
      () => Promise.reject(new Error('vault unreachable')),
    ];
    for (const encryptionKey of cases) {
      const client = makeClient(peer.url, { encryptionKey, maxReconnectAttempts: 3 });
      const errors = record(client, ['error', 'reconnecting']);
      await expect(client.connect()).rejects.toMatchObject({
        code: 'ERR_CONFIG_001',
        message: expect.stringContaining('"encryptionKey"'),
      });
      expect(errors.map((l) => [l[0], l[1].code])).toEqual([['error', 'ERR_CONFIG_001']]);
    }
    expect(peer.upgrades).toBe(0);
  });

  it('disconnect() while the key function runs: connect() rejects, no connection is opened', async () => {
    const peer = await startPeer({ keys: [KEY] });
    let release: (k: string) => void = () => {};
    const client = makeClient(peer.url, {
      encryptionKey: () => new Promise<string>((resolve) => (release = resolve)),
    });
    const attempt = client.connect();
    client.disconnect();
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_CONN_006' });
    release(KEY);
    await quiet(30);
    expect(peer.upgrades).toBe(0);
  });

  it('key rotation: DISCONNECT "key rotated" → reconnect with the key function’s new key', async () => {
    const peer = await startPeer({ keys: [KEY] });
    let current = KEY;
    const client = makeClient(peer.url, { encryptionKey: () => current });
    const first = peer.nextReady();
    await client.connect();
    const s1 = await first;
    // The server rotates: new CONNECTs must use NEW_KEY, the old session is asked to reconnect.
    peer.options.keys = [NEW_KEY];
    current = NEW_KEY;
    const log = record(client, ['disconnected', 'reconnected', 'error']);
    const second = peer.nextReady();
    const back = next(client, 'reconnected');
    s1.disconnect('key rotated', true);
    const s2 = await second;
    await back;
    expect(log.map((l) => l[0])).toEqual(['disconnected', 'reconnected']);
    expect(log[0]![1]).toBe('key rotated');
    expect(s2.key).toBeDefined();
    const res = client.emitWithAck('after', { ok: 1 });
    const got = await s2.nextEvent('after');
    s2.ack(got.ackId!, 'still working');
    expect(await res).toBe('still working');
    expect(peer.refusals).toBe(0);
  });
});
