// Fallback to long-polling through a real HTTP proxy that blocks WebSocket upgrades three ways
// (403, hang, socket closed); the choice is remembered for reconnections, not for connect().
// Also polling's request discipline (one GET, one POST), offline queue and ack timeouts.
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SmartSocket } from '@smartsocket/server';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClient, memoryLogger, next } from './helpers/setup.js';

type UpgradeMode = 'forbid' | 'hang' | 'close';

interface Proxy {
  port: number;
  upgrades: number;
  /** While true, new plain requests are swallowed (never forwarded, never answered). */
  blackhole: boolean;
  /** Requests in flight now and at most, per method. */
  inFlight: Record<string, number>;
  maxInFlight: Record<string, number>;
  mode: UpgradeMode;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Forwards plain HTTP requests to `target()`; upgrades are answered as `mode` says. */
async function startProxy(target: () => number, mode: UpgradeMode): Promise<Proxy> {
  const sockets = new Set<Socket | Duplex>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    if (proxy.blackhole) return;
    const method = req.method ?? '';
    proxy.inFlight[method] = (proxy.inFlight[method] ?? 0) + 1;
    proxy.maxInFlight[method] = Math.max(proxy.maxInFlight[method] ?? 0, proxy.inFlight[method]!);
    res.once('close', () => {
      proxy.inFlight[method]!--;
    });
    const out = request(
      {
        host: '127.0.0.1',
        port: target(),
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end('Bad Gateway');
      else res.destroy();
    });
    req.pipe(out);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const proxy: Proxy = {
    port: 0,
    upgrades: 0,
    blackhole: false,
    inFlight: {},
    maxInFlight: {},
    mode,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  server.on('upgrade', (_req, socket: Duplex) => {
    proxy.upgrades++;
    socket.on('error', () => {});
    sockets.add(socket);
    if (proxy.mode === 'forbid')
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    else if (proxy.mode === 'close') socket.destroy();
    // 'hang': never answered (closed by the proxy's cleanup).
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.port = (server.address() as { port: number }).port;
  cleanups.push(() => proxy.close());
  return proxy;
}

async function startServer(port = 0): Promise<SmartSocket> {
  const server = new SmartSocket({ host: '127.0.0.1', port, logger: memoryLogger() });
  server.on('echo', (_s: unknown, d: unknown, ack?: (v: unknown) => void) => ack?.(d));
  await server.start();
  cleanups.push(() => server.stop());
  return server;
}

describe('WebSocket → polling fallback through a proxy', () => {
  it.each<UpgradeMode>(['forbid', 'hang', 'close'])(
    'upgrade %s: ends on polling, works, and a reconnect after a server restart goes straight to polling',
    async (mode) => {
      let server = await startServer();
      const port = server.port;
      const proxy = await startProxy(() => port, mode);
      const logger = memoryLogger();
      const client = makeClient(`ws://127.0.0.1:${proxy.port}`, {
        websocketTimeout: 500,
        maxReconnectAttempts: 50,
        logger,
      });
      const connected = next(client, 'connected');
      const t0 = Date.now();
      await client.connect();
      const elapsed = Date.now() - t0;
      expect(client.transport).toBe('polling');
      expect(await connected).toEqual(['polling']);
      expect(proxy.upgrades).toBe(1);
      if (mode === 'hang') expect(elapsed).toBeLessThan(500 + 1000);
      expect(logger.lines.some((l) => l.includes('falling back to polling'))).toBe(true);
      expect(logger.lines.some((l) => l.includes('Connected over polling'))).toBe(true);
      expect(await client.emitWithAck('echo', { n: 1 }, { timeout: 5000 })).toEqual({ n: 1 });

      // Restart the server on the same port: the client reconnects over polling at once.
      const reconnected = next(client, 'reconnected');
      await server.stop();
      server = await startServer(port);
      await reconnected;
      expect(client.transport).toBe('polling');
      expect(proxy.upgrades).toBe(1);
      expect(await client.emitWithAck('echo', 'again', { timeout: 5000 })).toBe('again');

      // A new connect() after disconnect() tries WebSocket first again.
      // (Refused fast this time, so the attempt does not wait for websocketTimeout.)
      client.disconnect();
      proxy.mode = 'forbid';
      await client.connect();
      expect(proxy.upgrades).toBe(2);
      expect(client.transport).toBe('polling');
    },
  );

  it('without a proxy in the way, the default transports use WebSocket', async () => {
    const server = await startServer();
    const client = makeClient(`ws://127.0.0.1:${server.port}`);
    await client.connect();
    expect(client.transport).toBe('websocket');
  });

  it("transports: ['websocket'] alone does not fall back", async () => {
    const server = await startServer();
    const proxy = await startProxy(() => server.port, 'forbid');
    const client = makeClient(`ws://127.0.0.1:${proxy.port}`, {
      transports: ['websocket'],
      maxReconnectAttempts: 0,
    });
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONN_001' });
    expect(client.transport).toBe('websocket');
  });

  it('over polling: at most one GET and one POST in flight; emits batched in order', async () => {
    const server = await startServer();
    const got: number[] = [];
    const all = new Promise<void>((resolve) =>
      server.on('n', (_s: unknown, n: number) => {
        got.push(n);
        if (n === 99) resolve();
      }),
    );
    const proxy = await startProxy(() => server.port, 'forbid');
    const client = makeClient(`ws://127.0.0.1:${proxy.port}`, { transports: ['polling'] });
    await client.connect();
    // One emit per macrotask: each would be its own POST if the client did not hold them back.
    for (let i = 0; i < 100; i++) {
      client.emit('n', i);
      await new Promise((r) => setImmediate(r));
    }
    await all;
    expect(got).toEqual([...Array(100).keys()]);
    expect(proxy.maxInFlight.GET).toBe(1);
    expect(proxy.maxInFlight.POST).toBe(1);
    expect(proxy.upgrades).toBe(0);
  });

  it('over polling: the offline queue and ack timeouts work unchanged', async () => {
    let server = await startServer();
    const port = server.port;
    server.on('slow', () => {}); // never answers
    const client = makeClient(`ws://127.0.0.1:${port}`, {
      transports: ['polling'],
      maxReconnectAttempts: 100,
      ackTimeout: 200,
    });
    await client.connect();
    await expect(client.emitWithAck('slow', 1)).rejects.toMatchObject({ code: 'ERR_ACK_001' });
    const disconnected = next(client, 'disconnected');
    await server.stop();
    await disconnected;
    client.emit('queued', 'while offline');
    const reconnected = next(client, 'reconnected');
    server = await startServer(port);
    const queued = new Promise((resolve) =>
      server.on('queued', (_s: unknown, data: unknown) => resolve(data)),
    );
    await reconnected;
    expect(await queued).toBe('while offline');
    expect(client.transport).toBe('polling');
  });

  it('over polling: a dead path is detected by heartbeats and the client reconnects', async () => {
    const server = await startServer();
    const proxy = await startProxy(() => server.port, 'forbid');
    const client = makeClient(`ws://127.0.0.1:${proxy.port}`, {
      transports: ['polling'],
      heartbeatInterval: 100,
      heartbeatTimeout: 100,
      maxReconnectAttempts: 100,
    });
    await client.connect();
    const disconnected = next(client, 'disconnected');
    proxy.blackhole = true;
    expect(await disconnected).toEqual(['heartbeat timeout']);
    const reconnected = next(client, 'reconnected');
    proxy.blackhole = false;
    await reconnected;
    expect(await client.emitWithAck('echo', 'back', { timeout: 5000 })).toBe('back');
  });
});
