// Lossless reconnection (enableMessageCache): a client cut by the network gets back its id, rooms
// and data and every message exactly once, in order, both ways; impossible recoveries say so.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmartSocket, SmartSocketOptions, Socket } from '../src/index.js';
import { CuttingProxy } from './helpers/cutting-proxy.js';
import { type AnyClient, realClientAt } from './helpers/real-client.js';
import { Cleanup, once, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const KEY = Buffer.alloc(32, 7).toString('base64');
type Transport = 'websocket' | 'polling';

/** Resolves when `check()` holds (checked every 5 ms, for at most `ms`). */
async function until(check: () => boolean, ms = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function setup(
  transport: Transport,
  options: SmartSocketOptions = {},
  clientOptions: Record<string, unknown> = {},
): Promise<{ server: SmartSocket; proxy: CuttingProxy; client: AnyClient; socket: Socket }> {
  const server = await startServer(cleanup, {
    enableMessageCache: true,
    heartbeatInterval: 1000,
    heartbeatTimeout: 1000,
    ...options,
  });
  const proxy = await CuttingProxy.start(server.port!);
  cleanup.add(() => proxy.close());
  const connected = once<[Socket]>(server, 'connected');
  const client = await realClientAt(cleanup, `ws://127.0.0.1:${proxy.port}`, {
    transports: [transport],
    maxReconnectAttempts: 1000,
    reconnectDelay: 20,
    reconnectDelayMax: 100,
    randomizationFactor: 0,
    ...clientOptions,
  });
  await client.connect();
  const [socket] = await connected;
  return { server, proxy, client, socket };
}

/**
 * Cuts the link and waits until the server has noticed: the session is kept, or (a polling
 * session still waiting for its next GET) the client already took it over on a new link.
 */
async function cut(proxy: CuttingProxy, socket: Socket): Promise<void> {
  const link = socket._conn;
  proxy.cut();
  await until(() => !socket.connected || socket._conn !== link, 15_000, 'the cut to be noticed');
}

for (const transport of ['websocket', 'polling'] as const) {
  for (const encrypted of [false, true]) {
    const label = `${transport}${encrypted ? ', encrypted' : ''}`;
    describe(`recovery (${label})`, () => {
      const crypto = encrypted ? { enableEncryption: true, encryptionKey: KEY } : {};

      it('keeps id, rooms and data; what was sent meanwhile arrives once, in order', async () => {
        let authenticated = 0;
        const { server, proxy, client, socket } = await setup(
          transport,
          {
            ...crypto,
            authenticate: () => {
              authenticated++;
              return true;
            },
          },
          crypto,
        );
        socket.join('room');
        socket.data.name = 'ada';
        const got: Array<[string, number]> = [];
        for (const e of ['b', 'u', 'r']) client.on(e, (n: number) => got.push([e, n]));
        server.to('room').emit('r', 0);
        await until(() => got.length === 1);
        const connectedAgain: boolean[] = [];
        client.on('connected', () => connectedAgain.push(client.recovered));
        await cut(proxy, socket);
        // While the client is away: a room broadcast, a namespace broadcast, unicasts.
        server.to('room').emit('r', 1);
        server.emit('b', 2);
        socket.emit('u', 3);
        server.to(socket.id).emit('u', 4);
        await until(() => connectedAgain.length === 1, 15_000, 'reconnection');
        expect(connectedAgain).toEqual([true]);
        server.to('room').emit('r', 5);
        await until(() => got.length === 6);
        expect(got).toEqual([
          ['r', 0],
          ['r', 1],
          ['b', 2],
          ['u', 3],
          ['u', 4],
          ['r', 5],
        ]);
        expect(client.id).toBe(socket.id);
        expect(socket.connected).toBe(true);
        expect(socket.recovered).toBe(true);
        expect([...socket.rooms].sort()).toEqual([socket.id, 'room'].sort());
        expect(socket.data.name).toBe('ada');
        expect(authenticated).toBe(2);
      }, 30_000);

      it('client emits with acks across a cut: handlers run once, every ack answered once', async () => {
        const { server, proxy, client, socket } = await setup(transport, crypto, crypto);
        const handled: number[] = [];
        socket.on('save', (n: number, ack?: (r: unknown) => void) => {
          handled.push(n);
          // Answered a little later: some answers are in flight when the link drops.
          setTimeout(() => ack?.(n * 2), 2);
        });
        const answers: number[] = [];
        const all: Promise<void>[] = [];
        for (let i = 0; i < 40; i++) {
          all.push(
            client.emitWithAck('save', i, { timeout: 20_000 }).then((r: number) => {
              answers.push(r);
            }),
          );
          if (i === 20) await cut(proxy, socket);
          await new Promise((r) => setTimeout(r, 1));
        }
        await Promise.all(all);
        expect(handled).toEqual(Array.from({ length: 40 }, (_, i) => i));
        expect(answers.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
        expect(client.recovered).toBe(true);
        // The server reports what it received (HEARTBEAT { r }): the client forgets what it kept.
        await until(() => client.outbox.stream.unacked === 0, 10_000, 'the received report');
        void server;
      }, 30_000);
    });
  }
}

describe('recovery refused (recovered: false, never partial)', () => {
  it('when the TTL has passed: a new session; the old one ended (disconnected fired)', async () => {
    const { proxy, client, socket } = await setup('websocket', { messageCacheTTL: 50 });
    const ended = once<[string]>(socket, 'disconnected');
    proxy.refusing = true;
    proxy.cut();
    expect(await ended).toEqual(['transport error']);
    const connected = once(client, 'connected');
    proxy.refusing = false;
    await connected;
    expect(client.recovered).toBe(false);
    expect(client.id).not.toBe(socket.id);
  }, 30_000);

  it('when more than messageCacheSize packets were missed', async () => {
    const { server, proxy, client, socket } = await setup('websocket', { messageCacheSize: 5 });
    const got: number[] = [];
    client.on('n', (n: number) => got.push(n));
    proxy.refusing = true;
    await cut(proxy, socket);
    for (let i = 0; i < 6; i++) server.emit('n', i);
    const connected = once(client, 'connected');
    proxy.refusing = false;
    await connected;
    expect(client.recovered).toBe(false);
    server.emit('n', 99);
    await until(() => got.includes(99));
    expect(got).toEqual([99]);
  }, 30_000);

  it('when exactly messageCacheSize were missed it still recovers', async () => {
    const { server, proxy, client, socket } = await setup('websocket', { messageCacheSize: 5 });
    const got: number[] = [];
    client.on('n', (n: number) => got.push(n));
    proxy.refusing = true;
    await cut(proxy, socket);
    for (let i = 0; i < 5; i++) server.emit('n', i);
    const connected = once(client, 'connected');
    proxy.refusing = false;
    await connected;
    expect(client.recovered).toBe(true);
    await until(() => got.length === 5);
    expect(got).toEqual([0, 1, 2, 3, 4]);
  }, 30_000);

  it('when the server restarted (it knows no session)', async () => {
    const first = await startServer(cleanup, { enableMessageCache: true });
    const port = first.port!;
    const client = await realClientAt(cleanup, `ws://127.0.0.1:${port}`, {
      maxReconnectAttempts: 1000,
      reconnectDelay: 20,
      reconnectDelayMax: 50,
      randomizationFactor: 0,
    });
    await client.connect();
    const oldId = client.id;
    const connected = once(client, 'connected');
    await first.stop();
    await startServer(cleanup, { enableMessageCache: true, port });
    await connected;
    expect(client.recovered).toBe(false);
    expect(client.id).not.toBe(oldId);
  }, 30_000);

  it('without enableMessageCache: no sequencing, recovered false, rooms gone', async () => {
    const server = await startServer(cleanup, {});
    const proxy = await CuttingProxy.start(server.port!);
    cleanup.add(() => proxy.close());
    const connected = once<[Socket]>(server, 'connected');
    const client = await realClientAt(cleanup, `ws://127.0.0.1:${proxy.port}`, {
      maxReconnectAttempts: 1000,
      reconnectDelay: 20,
      randomizationFactor: 0,
    });
    await client.connect();
    const [socket] = await connected;
    expect(socket.handshake.caps.seq).toBeUndefined();
    const again = once(client, 'connected');
    proxy.cut();
    await again;
    expect(client.recovered).toBe(false);
    expect(socket.connected).toBe(false);
  }, 30_000);
});

describe('session memory', () => {
  it('a kept session holds its log until the TTL; then it is freed', async () => {
    const { server, proxy, socket } = await setup('websocket', {
      messageCacheTTL: 1500,
      messageCacheSize: 1000,
    });
    proxy.refusing = true;
    await cut(proxy, socket);
    const ended = once(socket, 'disconnected');
    gc();
    const before = process.memoryUsage();
    // 1000 unicasts of 16 KiB each, logged for the absent client (one string shared by all).
    const pad = 'k'.repeat(16 * 1024);
    for (let i = 0; i < 1000; i++) socket.emit('big', { i, pad });
    gc();
    const held = process.memoryUsage();
    const heldBytes = held.arrayBuffers - before.arrayBuffers;
    expect(heldBytes).toBeGreaterThan(12 * 1024 * 1024);
    await ended;
    gc();
    const after = process.memoryUsage();
    // Most of what the log held is released (measured against the held level, so unrelated
    // buffers allocated meanwhile on a busy machine do not decide the outcome).
    expect(held.arrayBuffers - after.arrayBuffers).toBeGreaterThan(heldBytes * 0.8);
    void server;
  }, 30_000);
});

describe('slow consumer with recovery on', () => {
  it('is cut with 4008, recovers once it reads again, and gets every message once, in order', async () => {
    const { server, proxy, client } = await setup('websocket', {
      // Not compressed: the padding would shrink to nothing and never fill a buffer.
      enableCompression: false,
      maxBufferedBytes: 128 * 1024,
      messageCacheSize: 5000,
    });
    const got: number[] = [];
    client.on('m', (m: { i: number }) => got.push(m.i));
    proxy.stall();
    const pad = 's'.repeat(16 * 1024);
    const total = 1500; // × 16 KiB: more than the loopback TCP buffers absorb
    for (let i = 0; i < total; i++) {
      server.emit('m', { i, pad });
      if (i % 20 === 19) await new Promise((r) => setImmediate(r));
    }
    await until(() => server.getStats().transmission.slowConsumers >= 1, 15_000, 'the cut');
    proxy.resume();
    await until(() => got.length >= total, 30_000, `catch-up (${got.length})`);
    const marker = new Promise((resolve) => client.once('marker', resolve));
    server.emit('marker', 1);
    await marker;
    expect(got).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(client.recovered).toBe(true);
    expect(server.getStats().transmission.oldestDrops).toBe(0);
  }, 60_000);
});

describe('recovery handshake with a raw client', () => {
  async function rawSequenced(server: SmartSocket, session?: unknown): Promise<[TestClient, any]> {
    const client = cleanup.client(await TestClient.open(server));
    client.send({
      type: FrameType.CONNECT,
      data: { caps: { compression: [], binary: true, seq: true }, ...(session ? { session } : {}) },
    });
    const answer = await client.next((f) => f.type === FrameType.CONNECT);
    return [client, answer.data];
  }

  it('an unknown token gets a fresh session; a used token cannot be used twice', async () => {
    const server = await startServer(cleanup, { enableMessageCache: true });
    const [, unknown] = await rawSequenced(server, { token: 'no-such-session', u: 0, b: 0 });
    expect(unknown).toMatchObject({ recovered: false, caps: { seq: true } });
    expect(typeof unknown.session).toBe('string');
    const connected = once<[Socket]>(server, 'connected');
    const [first, answer] = await rawSequenced(server);
    const [socket] = await connected;
    expect(answer).toMatchObject({ recovered: false, received: 0, caps: { seq: true } });
    await first.close();
    await until(() => !socket.connected, 5000, 'the drop');
    const [second, again] = await rawSequenced(server, { token: answer.session, u: 0, b: 0 });
    expect(again).toMatchObject({ recovered: true, id: socket.id });
    expect(again.session).not.toBe(answer.session);
    // The client shows it has the new token (any frame): the old one is dead from now on.
    second.emit('hello');
    const marker = new Promise((resolve) => socket.once('hello' as never, resolve as never));
    await marker;
    const [, reused] = await rawSequenced(server, { token: answer.session, u: 0, b: 0 });
    expect(reused).toMatchObject({ recovered: false });
    expect(reused.id).not.toBe(socket.id);
  });

  it('a position the server never gave is refused', async () => {
    const server = await startServer(cleanup, { enableMessageCache: true });
    const connected = once<[Socket]>(server, 'connected');
    const [first, answer] = await rawSequenced(server);
    const [socket] = await connected;
    await first.close();
    await until(() => !socket.connected, 5000, 'the drop');
    const [, refused] = await rawSequenced(server, { token: answer.session, u: 5, b: 0 });
    expect(refused).toMatchObject({ recovered: false });
  });

  it('sequenced frames: server positions in the SEQ field, duplicates of client frames dropped', async () => {
    const server = await startServer(cleanup, { enableMessageCache: true });
    const connected = once<[Socket]>(server, 'connected');
    const [client] = await rawSequenced(server);
    const [socket] = await connected;
    const seen: number[] = [];
    socket.on('n' as never, ((n: number) => seen.push(n)) as never);
    client.send({ type: FrameType.EVENT, event: 'n', data: 1, seq: 1 });
    client.send({ type: FrameType.EVENT, event: 'n', data: 1, seq: 1 });
    client.send({ type: FrameType.EVENT, event: 'n', data: 2, seq: 2 });
    const done = new Promise((resolve) => socket.once('done' as never, resolve as never));
    client.send({ type: FrameType.EVENT, event: 'done', seq: 3 });
    await done;
    socket.emit('u', 'x');
    server.emit('b', 'y');
    const u = await client.nextEvent('u');
    const b = await client.nextEvent('b');
    expect(u.seq).toBe(1);
    expect(b.seq! >>> 31).toBe(1);
    expect(seen).toEqual([1, 2]);
  });
});
