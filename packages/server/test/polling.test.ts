// Long-polling end to end with the real client: events, acks, binary, compression, encryption,
// rooms and broadcasts shared with WebSocket clients, stats, disconnect and stop.
import { randomBytes } from 'node:crypto';
import { DEFAULT_NAMESPACE, encodeMessage, FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PollingTransport } from '../src/polling-transport.js';
import { type AnyClient, realClient } from './helpers/real-client.js';
import { Cleanup, once, startServer } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const KEY = randomBytes(32).toString('base64');

async function pollingClient(port: number, options: Record<string, unknown> = {}) {
  const c: AnyClient = await realClient(cleanup, port, { transports: ['polling'], ...options });
  await c.connect();
  return c;
}

describe('long-polling transport', () => {
  it('connects over polling only; socket.transport and stats say polling', async () => {
    const server = await startServer(cleanup);
    const connected = once<[{ transport: string; id: string }]>(server, 'connected');
    const seen: string[] = [];
    const c = await realClient(cleanup, server.port, { transports: ['polling'] });
    c.on('connected', (t: string) => seen.push(t));
    await c.connect();
    const [socket] = await connected;
    expect(socket.transport).toBe('polling');
    expect(socket.id).toBe(c.id);
    expect(c.transport).toBe('polling');
    expect(seen).toEqual(['polling']);
    expect(server.getConnectionStats().byTransport).toEqual({ websocket: 0, polling: 1 });
  });

  it('carries events and acks both ways, and binary attachments', async () => {
    const server = await startServer(cleanup);
    server.on('echo', (_s, data, ack) => ack?.(data));
    server.on('connected', (socket) => {
      socket.on('ready', async () => {
        const answer = await socket.emitWithAck('ask', { q: 1 }, { timeout: 5000 });
        socket.emit('answered', answer);
      });
    });
    const c = await pollingClient(server.port);
    c.on('ask', (data: unknown, ack: (v: unknown) => void) => ack({ got: data }));
    const answered = new Promise((resolve) => c.on('answered', resolve));
    const bin = new Uint8Array([0, 1, 2, 250, 255]);
    const res = await c.emitWithAck('echo', { name: 'x', bin }, { timeout: 5000 });
    expect(res.name).toBe('x');
    expect(new Uint8Array(res.bin)).toEqual(bin);
    c.emit('ready');
    expect(await answered).toEqual({ got: { q: 1 } });
  });

  it('batches: many emits in one turn arrive in order', async () => {
    const server = await startServer(cleanup, { enableRateLimiting: false });
    const got: number[] = [];
    const done = new Promise<void>((resolve) =>
      server.on('n', (_s, n: number) => {
        got.push(n);
        if (n === 199) resolve();
      }),
    );
    const c = await pollingClient(server.port);
    for (let i = 0; i < 200; i++) c.emit('n', i);
    await done;
    expect(got).toEqual([...Array(200).keys()]);
  });

  it('compresses both ways', async () => {
    const server = await startServer(cleanup, { compressionThreshold: 64 });
    const big = 'compress me '.repeat(500);
    server.on('echo', (_s, data, ack) => ack?.(data));
    const c = await pollingClient(server.port, { compressionThreshold: 64 });
    expect(await c.emitWithAck('echo', { big }, { timeout: 5000 })).toEqual({ big });
    const { transmission } = server.getStats();
    // Server → client: the ack went out compressed; client → server: far fewer bytes came in.
    expect(transmission.compressedFrames).toBeGreaterThanOrEqual(1);
    expect(transmission.bytesIn).toBeLessThan(big.length / 4);
  });

  it('encrypts both ways; a wrong key is ERR_CONN_004', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    server.on('echo', (_s, data, ack) => ack?.(data));
    const c = await pollingClient(server.port, { encryptionKey: KEY });
    expect(await c.emitWithAck('echo', { secret: 42 }, { timeout: 5000 })).toEqual({ secret: 42 });
    const wrong = await realClient(cleanup, server.port, {
      transports: ['polling'],
      encryptionKey: randomBytes(32).toString('base64'),
    });
    await expect(wrong.connect()).rejects.toMatchObject({ code: 'ERR_CONN_004' });
  });

  it('rooms and broadcasts reach WebSocket and polling clients alike', async () => {
    const server = await startServer(cleanup);
    server.on('join', (socket, room: string, ack) => {
      socket.join(room);
      ack?.(true);
    });
    const ws: AnyClient = await realClient(cleanup, server.port, { transports: ['websocket'] });
    await ws.connect();
    const p1 = await pollingClient(server.port);
    const p2 = await pollingClient(server.port);
    expect(ws.transport).toBe('websocket');
    for (const c of [ws, p1, p2]) await c.emitWithAck('join', 'r', { timeout: 5000 });
    const got = (c: AnyClient) => new Promise((resolve) => c.on('news', resolve));
    const all = [got(ws), got(p1), got(p2)];
    server.to('r').emit('news', { n: 1, bin: new Uint8Array([7]) });
    for (const v of await Promise.all(all)) expect((v as { n: number }).n).toBe(1);
    expect(server.getConnectionStats().byTransport).toEqual({ websocket: 1, polling: 2 });
  });

  it('socket.disconnect() reaches the polling client on its held GET; no reconnection', async () => {
    const server = await startServer(cleanup);
    const c = await pollingClient(server.port, { maxReconnectAttempts: 5 });
    const reason = new Promise((resolve) => c.on('disconnected', resolve));
    const serverReason = once<[unknown, string]>(server, 'disconnected');
    const socket = server.sockets.get(c.id)! as any;
    // The client's GET is held: the DISCONNECT answers it at once.
    await vi.waitFor(() => expect(socket.conn.transport.polling).toBe(true));
    socket.disconnect();
    expect(await reason).toBe('server disconnect');
    expect((await serverReason)[1]).toBe('server disconnect');
    expect(c.connected).toBe(false);
    await vi.waitFor(() => expect(server.getConnectionStats().byTransport.polling).toBe(0));
  });

  it('server.stop() reaches polling clients (they are told to reconnect)', async () => {
    const server = await startServer(cleanup);
    const c = await pollingClient(server.port, { maxReconnectAttempts: 0 });
    const reason = new Promise((resolve) => c.on('disconnected', resolve));
    await server.stop();
    expect(await reason).toBe('server shutting down');
  });

  it('a client that stops polling is dropped within heartbeatInterval + heartbeatTimeout', async () => {
    const server = await startServer(cleanup, { heartbeatInterval: 200, heartbeatTimeout: 100 });
    const c = await pollingClient(server.port);
    const gone = once<[unknown, string]>(server, 'disconnected');
    const t0 = Date.now();
    // Kill the client's transport without telling the server (its GET is aborted).
    c.conn.opts.transport.close(1006, 'test');
    c.disconnect();
    const [, reason] = await gone;
    expect(reason).toBe('transport error');
    expect(Date.now() - t0).toBeLessThan(300 + 2000);
  });

  it('heartbeats run over polling (socket.latency is measured)', async () => {
    const server = await startServer(cleanup);
    const c = await pollingClient(server.port, { heartbeatInterval: 50 });
    const socket = server.sockets.get(c.id)!;
    await vi.waitFor(() => expect(c.latency).toBeGreaterThanOrEqual(0), { timeout: 5000 });
    await vi.waitFor(() => expect(typeof socket.latency).toBe('number'), { timeout: 5000 });
  });

  it('rate limits apply as on WebSocket', async () => {
    const server = await startServer(cleanup, { rateLimitMaxRequests: 3, rateLimitWindow: 60_000 });
    server.on('echo', (_s, data, ack) => ack?.(data));
    const c = await pollingClient(server.port);
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        c.emitWithAck('echo', n, { timeout: 5000 }).then(
          (v: unknown) => v,
          (e: { code: string }) => e.code,
        ),
      ),
    );
    expect(results).toEqual([1, 2, 3, 'ERR_RATE_001']);
  });

  it('a broadcast hands the very same bytes to every polling session (encoded once)', async () => {
    const server = await startServer(cleanup);
    const a = await pollingClient(server.port);
    const b = await pollingClient(server.port);
    const got = [a, b].map((c) => new Promise((resolve) => c.on('all', resolve)));
    const send = vi.spyOn(PollingTransport.prototype, 'send');
    server.emit('all', { n: 1 });
    await Promise.all(got);
    const sent = send.mock.calls.map((call) => call[0]);
    send.mockRestore();
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBe(sent[1]);
  });

  it('bytes queued while no GET is held count against maxBufferedBytes (volatile dropped)', async () => {
    const server = await startServer(cleanup, { maxBufferedBytes: 4096 });
    const connected = once<[any]>(server, 'connected');
    // A raw session that connects and then never polls again.
    const url = `http://127.0.0.1:${server.port}/smartsocket/poll`;
    const token = await (await fetch(url, { method: 'POST' })).text();
    const connect = new Uint8Array(
      encodeMessage({
        type: FrameType.CONNECT,
        namespace: DEFAULT_NAMESPACE,
        data: { caps: { compression: [], binary: true } },
      }),
    );
    await fetch(`${url}?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: connect,
    });
    const [socket] = await connected;
    await (await fetch(`${url}?token=${token}`)).arrayBuffer();
    const before = server.getStats().transmission.droppedMessages;
    for (let i = 0; i < 20; i++) {
      socket.volatile.emit('v', 'x'.repeat(1000));
      await new Promise((r) => setImmediate(r));
    }
    expect(socket.conn.transport.bufferedAmount).toBeLessThanOrEqual(4096 + 1100);
    expect(server.getStats().transmission.droppedMessages - before).toBeGreaterThan(10);
    // What was kept arrives on the next GET.
    const res = await fetch(`${url}?token=${token}`);
    expect(new Uint8Array(await res.arrayBuffer()).length).toBeGreaterThan(4000);
  });
});
