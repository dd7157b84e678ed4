// Options, start/stop, attaching to an existing HTTP server, path, origins, maxConnections.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { SmartSocket, serverDefaults } from '../src/index.js';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('options', () => {
  it('has the documented defaults and accepts the port-first form', () => {
    const s = new SmartSocket();
    expect(s.options).toMatchObject({
      port: 3000,
      host: 'localhost',
      path: '/smartsocket',
      transports: ['websocket', 'polling'],
      enableEncryption: false,
      encryptionAlgorithm: 'aes-256-gcm',
      enableCompression: true,
      compressionThreshold: 1024,
      compressionLevel: 6,
      enableRateLimiting: true,
      rateLimitWindow: 60000,
      rateLimitMaxRequests: 100,
      maxConnections: 10000,
      connectionTimeout: 30000,
      heartbeatInterval: 30000,
      heartbeatTimeout: 5000,
      maxPayload: 16 * 1024 * 1024,
      enableMessageCache: false,
      messageCacheTTL: 120000,
      maxBufferedBytes: 1024 * 1024,
      enableMetrics: true,
    });
    expect(serverDefaults.port).toBe(3000);
    expect(new SmartSocket(8080, { host: '127.0.0.1' }).options).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
    });
  });

  it.each([
    ['port', { port: -1 }],
    ['port', { port: 70000 }],
    ['path', { path: 'nope' }],
    ['transports', { transports: ['carrier-pigeon'] }],
    ['compressionLevel', { compressionLevel: 10 }],
    ['maxConnections', { maxConnections: 1.5 }],
    ['heartbeatTimeout', { heartbeatTimeout: 0 }],
    ['maxPayload', { maxPayload: 0 }],
    ['enableMetrics', { enableMetrics: 'yes' }],
    ['encryptionKey', { encryptionKey: 'c2hvcnQ=' }],
    ['enableEncryption', { enableEncryption: true }],
    ['encryptionAlgorithm', { encryptionAlgorithm: 'aes-256-cbc' }],
    ['allowedOrigins', { allowedOrigins: 'http://x' }],
    ['authenticate', { authenticate: true }],
    ['logger', { logger: {} }],
    ['bogus', { bogus: 1 }],
  ])('throws ERR_CONFIG_001 naming %s', (name, opts) => {
    expect(() => new SmartSocket(opts as never)).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_001', message: expect.stringContaining(name) }),
    );
  });

  it('turns encryption on when a valid key is given', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(new SmartSocket({ encryptionKey: key }).options.enableEncryption).toBe(true);
    expect(
      new SmartSocket({ encryptionKey: key, enableEncryption: false }).options.enableEncryption,
    ).toBe(false);
  });
});

describe('start / stop', () => {
  it('listens on port 0, reports the bound port, and stop() tells clients to reconnect', async () => {
    const server = new SmartSocket({ host: '127.0.0.1', port: 0 });
    await server.start();
    expect(server.port).toBeGreaterThan(0);
    const client = await TestClient.connect(server);
    const listen = server.listen();
    await listen;
    const a = server.stop();
    expect(server.stop()).toBe(a);
    await a;
    const frame = await client.next((f) => f.type === FrameType.DISCONNECT);
    expect(frame.data).toEqual({ reason: 'server shutting down', reconnect: true });
    expect((await client.closed).code).toBe(1001);
    await expect(get(server.port, '/')).rejects.toThrow();
    await server.stop();
  });

  it('listen(cb) calls back once listening (seed API)', async () => {
    const server = cleanup.server(new SmartSocket(0, { host: '127.0.0.1' }));
    await new Promise<void>((resolve) => server.listen(resolve));
    expect(server.port).toBeGreaterThan(0);
  });

  it('rejects start() when the port is taken, and can be stopped', async () => {
    const a = await startServer(cleanup);
    const b = new SmartSocket({ host: '127.0.0.1', port: a.port });
    await expect(b.start()).rejects.toThrow();
    await b.stop();
  });

  it('leaves no handles behind', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;
    const server = new SmartSocket({
      host: '127.0.0.1',
      port: 0,
      connectionTimeout: 50,
      heartbeatTimeout: 50,
    });
    await server.start();
    const client = await TestClient.connect(server);
    await server.stop();
    await client.closed;
    // Sockets of this and earlier tests may still be finishing their TCP close on a busy
    // machine: wait for that, but a leaked timer or server handle never goes away.
    await vi.waitFor(
      () =>
        expect(
          process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length,
        ).toBeLessThanOrEqual(before),
      { timeout: 2000, interval: 20 },
    );
  });
});

describe('attaching to an existing HTTP server', () => {
  it("serves its path without disturbing the app's routes and upgrades", async () => {
    const http: Server = createServer((req, res) => res.end(`app:${req.url}`));
    const other = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => {
      if (req.url === '/other') other.handleUpgrade(req, socket, head, (ws) => ws.send('other'));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    cleanup.add(() => new Promise((r) => http.close(r)));
    cleanup.add(() => other.close());
    const server = cleanup.server(new SmartSocket({ server: http, path: '/rt' }));
    await server.start();
    expect(server.port).toBe((http.address() as AddressInfo).port);
    expect(await get(server.port, '/hello')).toEqual({ status: 200, body: 'app:/hello' });
    expect((await get(server.port, '/rt/stats')).status).toBe(200);
    const client = cleanup.client(await TestClient.connect(server, { path: '/rt' }));
    expect(client.id).not.toBe('');
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/other`);
    const msg = await new Promise((resolve) => ws.once('message', (d) => resolve(d.toString())));
    expect(msg).toBe('other');
    ws.close();
    await server.stop();
    // The app's server keeps running with its own handlers after stop().
    expect(await get(server.port, '/still')).toEqual({ status: 200, body: 'app:/still' });
  });

  it('refuses upgrades on other paths of its own server', async () => {
    const server = await startServer(cleanup);
    await expect(TestClient.open(server, { path: '/elsewhere' })).rejects.toMatchObject({
      status: 400,
    });
  });
});

describe('admission', () => {
  it('allowedOrigins: HTTP 403 at upgrade for other origins', async () => {
    const server = await startServer(cleanup, { allowedOrigins: ['http://good.test'] });
    cleanup.client(await TestClient.connect(server, { headers: { origin: 'http://good.test' } }));
    await expect(
      TestClient.open(server, { headers: { origin: 'http://evil.test' } }),
    ).rejects.toMatchObject({
      status: 403,
    });
    // Non-browser clients send no Origin (and could send any): they are not subject to the check.
    cleanup.client(await TestClient.connect(server));
    expect(server.getConnectionStats().rejected).toBe(1);
    const stats = await new Promise<number>((resolve) =>
      request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/smartsocket/stats',
          headers: { origin: 'http://evil.test' },
        },
        (res) => resolve(res.statusCode ?? 0),
      ).end(),
    );
    expect(stats).toBe(403);
    expect((await get(server.port, '/smartsocket/stats')).status).toBe(200);
  });

  it('maxConnections: ERR_CONN_005 ERROR frame and close 1013, before any socket state', async () => {
    const server = await startServer(cleanup, { maxConnections: 2 });
    let connected = 0;
    server.on('connected', () => connected++);
    cleanup.client(await TestClient.connect(server));
    cleanup.client(await TestClient.connect(server));
    const third = cleanup.client(await TestClient.open(server));
    const err = await third.nextError();
    expect(err.data).toMatchObject({ code: 'ERR_CONN_005' });
    expect((await third.closed).code).toBe(1013);
    expect(connected).toBe(2);
    expect(server.getConnectionStats()).toMatchObject({ active: 2, rejected: 1 });
  });
});
