// End-to-end with the real @smartsocket/server: keys (matching, wrong, missing, async, rotation)
// and compression both ways, checked on the raw bytes the client's WebSocket sends and receives.
import { generateKey } from '@smartsocket/crypto';
import { decodeFrames, type Frame, FrameFlag } from '@smartsocket/protocol';
import { SmartSocket, type SmartSocketOptions } from '@smartsocket/server';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebSocketConstructor } from '../src/transport.js';
import { makeClient, memoryLogger, next, quiet, record } from './helpers/setup.js';

const servers: SmartSocket[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function startServer(options: SmartSocketOptions = {}) {
  const server = new SmartSocket({
    host: '127.0.0.1',
    port: 0,
    logger: memoryLogger(),
    ...options,
  });
  servers.push(server);
  await server.start();
  return { server, url: `ws://127.0.0.1:${server.port}` };
}

/** A `ws` WebSocket that records every message it sends and receives, as raw bytes. */
function wireSpy() {
  const log = { opened: 0, sent: [] as Uint8Array[], received: [] as Uint8Array[] };
  class SpyWebSocket extends WebSocket {
    constructor(url: string, protocols?: string[]) {
      super(url, protocols);
      log.opened++;
      this.on('message', (data: Buffer | ArrayBuffer) => log.received.push(new Uint8Array(data)));
    }
    override send(data: any, ...rest: any[]): void {
      log.sent.push(new Uint8Array(data).slice());
      (super.send as (...a: unknown[]) => void)(data, ...rest);
    }
  }
  const frames = (messages: Uint8Array[]): Frame[] => messages.flatMap((m) => decodeFrames(m));
  return {
    log,
    WebSocket: SpyWebSocket as unknown as WebSocketConstructor,
    sentFrames: () => frames(log.sent),
    receivedFrames: () => frames(log.received),
  };
}

const KEY = generateKey();
const BIG = { rows: Array.from({ length: 300 }, (_, i) => ({ id: i, name: `player ${i}` })) };
const BIG_SIZE = JSON.stringify(BIG).length;
const has = (f: Frame, flag: number) => (f.flags & flag) !== 0;
const text = (messages: Uint8Array[]) => Buffer.concat(messages).toString('latin1');

describe('client ↔ real server: encryption', () => {
  it('matching keys: everything sealed both ways, no plaintext on the wire', async () => {
    const { server, url } = await startServer({ encryptionKey: KEY, enableCompression: false });
    server.on('save', (_s: any, data: any, ack: any) => ack?.({ saved: data }));
    const serverSocket = new Promise<any>((resolve) => server.on('connected', resolve));
    const spy = wireSpy();
    const client = makeClient(url, {
      encryptionKey: KEY,
      apiKey: 'api-plaintext-marker',
      WebSocket: spy.WebSocket,
    });
    client.on('question', (n: number, ack: (r: unknown) => void) => ack(n * 2));
    await client.connect();
    const socket = await serverSocket;
    expect(await client.emitWithAck('save', 'save-plaintext-marker')).toEqual({
      saved: 'save-plaintext-marker',
    });
    expect(await socket.emitWithAck('question', 21)).toBe(42);
    const news = next(client, 'news');
    server.emit('news', { note: 'broadcast-plaintext-marker' });
    expect(await news).toEqual([{ note: 'broadcast-plaintext-marker' }]);
    client.disconnect();
    const sent = spy.sentFrames();
    const received = spy.receivedFrames();
    expect(sent.length).toBeGreaterThanOrEqual(4); // CONNECT, EVENT, ACK, DISCONNECT
    expect(received.length).toBeGreaterThanOrEqual(4); // CONNECT, ACK, EVENT, EVENT
    for (const f of [...sent, ...received]) expect(has(f, FrameFlag.ENCRYPTED)).toBe(true);
    expect(text([...spy.log.sent, ...spy.log.received])).not.toContain('plaintext-marker');
  });

  it('a wrong key: ERR_CONN_004, one attempt only', async () => {
    const { url } = await startServer({ encryptionKey: KEY });
    const spy = wireSpy();
    const client = makeClient(url, {
      encryptionKey: generateKey(),
      maxReconnectAttempts: Number.POSITIVE_INFINITY,
      WebSocket: spy.WebSocket,
    });
    const log = record(client, ['reconnecting', 'error']);
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONN_004' });
    await quiet(100);
    expect(spy.log.opened).toBe(1);
    expect(log.map((l) => [l[0], l[1].code])).toEqual([['error', 'ERR_CONN_004']]);
  });

  it('no key against an encrypting server, and a key against a plain one: ERR_CONN_004', async () => {
    const secure = await startServer({ encryptionKey: KEY });
    const plain = await startServer({ enableEncryption: false, encryptionKey: undefined });
    const noKey = makeClient(secure.url, { maxReconnectAttempts: 3 });
    await expect(noKey.connect()).rejects.toMatchObject({ code: 'ERR_CONN_004' });
    const keyed = makeClient(plain.url, { encryptionKey: KEY, maxReconnectAttempts: 3 });
    await expect(keyed.connect()).rejects.toMatchObject({ code: 'ERR_CONN_004' });
  });

  it('the key from an async function', async () => {
    const { server, url } = await startServer({ encryptionKey: KEY });
    server.on('echo', (_s: any, data: any, ack: any) => ack?.(data));
    const client = makeClient(url, {
      encryptionKey: async () => {
        await quiet(5);
        return KEY;
      },
    });
    await client.connect();
    expect(await client.emitWithAck('echo', 'async key')).toBe('async key');
  });

  it('key rotation: the server rotates, the key function returns the new key, the client reconnects', async () => {
    const { server, url } = await startServer({ encryptionKey: KEY, keyRotationGracePeriod: 80 });
    server.on('echo', (_s: any, data: any, ack: any) => ack?.(data));
    let current = KEY;
    let calls = 0;
    const client = makeClient(url, {
      encryptionKey: () => {
        calls++;
        return current;
      },
      reconnectDelay: 10,
    });
    await client.connect();
    const log = record(client, ['disconnected', 'reconnected', 'error']);
    const newKey = generateKey();
    server.rotateEncryptionKey(newKey);
    current = newKey;
    // During the grace period the session on the old key keeps working.
    expect(await client.emitWithAck('echo', 'during grace')).toBe('during grace');
    await next(client, 'reconnected');
    expect(log.map((l) => l.slice(0, 2))).toEqual([
      ['disconnected', 'key rotated'],
      ['reconnected', 1],
    ]);
    expect(calls).toBe(2);
    expect(await client.emitWithAck('echo', 'after rotation')).toBe('after rotation');
    // A client still holding the old key is refused now.
    const stale = makeClient(url, { encryptionKey: KEY, maxReconnectAttempts: 2 });
    await expect(stale.connect()).rejects.toMatchObject({ code: 'ERR_CONN_004' });
  });
});

describe('client ↔ real server: compression', () => {
  it('compresses large sections both ways (visible on the wire); small ones and compress(false) stay plain', async () => {
    const { server, url } = await startServer();
    server.on('save', (_s: any, data: any, ack: any) => ack?.(data));
    const serverSocket = new Promise<any>((resolve) => server.on('connected', resolve));
    const spy = wireSpy();
    const client = makeClient(url, { WebSocket: spy.WebSocket });
    await client.connect();
    const socket = await serverSocket;
    expect(socket.handshake.caps.compression).toEqual(['deflate']);
    expect(await client.emitWithAck('save', BIG)).toEqual(BIG); // compressed both ways
    expect(await client.compress(false).emitWithAck('save', BIG)).toEqual(BIG);
    expect(await client.emitWithAck('save', { small: 1 })).toEqual({ small: 1 });
    const sent = spy.sentFrames().filter((f) => f.event === 'save');
    expect(sent.map((f) => has(f, FrameFlag.COMPRESSED))).toEqual([true, false, false]);
    expect(sent[0]!.data.length).toBeLessThan(BIG_SIZE / 3);
    expect(sent[1]!.data.length).toBe(BIG_SIZE);
    const acks = spy.receivedFrames().filter((f) => f.ackId !== undefined);
    expect(acks.map((f) => has(f, FrameFlag.COMPRESSED))).toEqual([true, true, false]);
  });

  it('a client with enableCompression: false never receives compressed frames', async () => {
    const { server, url } = await startServer({ encryptionKey: KEY });
    const plainSpy = wireSpy();
    const deflateSpy = wireSpy();
    const without = makeClient(url, {
      encryptionKey: KEY,
      enableCompression: false,
      WebSocket: plainSpy.WebSocket,
    });
    const withIt = makeClient(url, { encryptionKey: KEY, WebSocket: deflateSpy.WebSocket });
    const sockets: any[] = [];
    server.on('connected', (s: any) => sockets.push(s));
    await without.connect();
    await withIt.connect();
    const got = [next(without, 'feed'), next(withIt, 'feed')];
    server.emit('feed', BIG); // a broadcast to both
    expect(await Promise.all(got)).toEqual([[BIG], [BIG]]);
    const direct = next(without, 'direct');
    sockets[0].emit('direct', BIG);
    expect(await direct).toEqual([BIG]);
    without.emit('up', BIG);
    const up = await new Promise((resolve) => sockets[0].on('up', resolve));
    expect(up).toEqual(BIG);
    expect(plainSpy.sentFrames()[0]).toBeDefined();
    expect(plainSpy.receivedFrames().some((f) => has(f, FrameFlag.COMPRESSED))).toBe(false);
    expect(plainSpy.sentFrames().some((f) => has(f, FrameFlag.COMPRESSED))).toBe(false);
    expect(deflateSpy.receivedFrames().some((f) => has(f, FrameFlag.COMPRESSED))).toBe(true);
  });
});
