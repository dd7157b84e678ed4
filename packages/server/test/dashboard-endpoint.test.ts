// The dashboard's routes over real sockets: the page, token checks, JSON shape, limits, disconnect.
import { FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryAdapter } from '../src/index.js';
import { MAX_ROOMS_LISTED, MAX_SOCKETS_LISTED, ROOMS_PER_SOCKET } from '../src/socket-inspector.js';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const TOKEN = 'dash-secret-token';
const API = '/smartsocket/dashboard/api';

interface Reply {
  status: number;
  headers: Headers;
  body: string;
  json: any;
}

async function call(
  port: number,
  path: string,
  init: { method?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: init.method ?? 'GET',
    headers,
  });
  const body = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, body, json };
}

describe('dashboard page', () => {
  it('is one self-contained HTML page with a strict CSP, served without the token', async () => {
    const server = await startServer(cleanup, { metricsToken: TOKEN });
    const page = await call(server.port, '/smartsocket/dashboard');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // No external asset: no src/href to another origin, no CDN.
    expect(page.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page.body).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/);
    expect(page.body).toContain('data-api="/smartsocket/dashboard/api"');
    expect((await call(server.port, '/smartsocket/dashboard/', { method: 'HEAD' })).status).toBe(
      200,
    );
    expect((await call(server.port, '/smartsocket/dashboard', { method: 'POST' })).status).toBe(
      405,
    );
  });

  it('does not exist when enableMetrics is off', async () => {
    const server = await startServer(cleanup, { enableMetrics: false });
    expect((await call(server.port, '/smartsocket/dashboard')).status).toBe(404);
    expect((await call(server.port, `${API}/overview`)).status).toBe(404);
  });

  it('follows a custom path', async () => {
    const server = await startServer(cleanup, { path: '/rt' });
    expect((await call(server.port, '/rt/dashboard')).body).toContain(
      'data-api="/rt/dashboard/api"',
    );
    expect((await call(server.port, '/rt/dashboard/api/overview')).status).toBe(200);
  });
});

describe('dashboard API with metricsToken', () => {
  it('answers 401 without the token or with a wrong one, 200 with it', async () => {
    const server = await startServer(cleanup, { metricsToken: TOKEN });
    for (const route of ['/overview', '/sockets']) {
      const none = await call(server.port, API + route);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await call(server.port, API + route, { token: 'wrong' })).status).toBe(401);
      expect((await call(server.port, API + route, { token: TOKEN })).status).toBe(200);
    }
    const post = await call(server.port, `${API}/sockets/abc/disconnect`, { method: 'POST' });
    expect(post.status).toBe(401);
  });

  it('reports connections by namespace and transport, rooms, traffic and refusals', async () => {
    const server = await startServer(cleanup, {
      metricsToken: TOKEN,
      enableRateLimiting: true,
      rateLimitMaxRequests: 2,
      rateLimitWindow: 60_000,
    });
    server.namespace('/chat');
    server.on('connected', (socket) => {
      socket.join('lobby');
      if (socket.nsp.name === '/chat') socket.join('chat-room');
    });
    const a = cleanup.client(await TestClient.connect(server));
    cleanup.client(await TestClient.connect(server));
    cleanup.client(await TestClient.connect(server, { namespace: '/chat' }));
    // Two events pass, the third is refused by the rate limiter.
    a.emit('ping', 1);
    a.emit('ping', 2);
    a.emit('ping', 3);
    const refused = await a.nextError();
    expect(refused.data).toMatchObject({ code: 'ERR_RATE_001' });

    const { status, json } = await call(server.port, `${API}/overview`, { token: TOKEN });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      time: expect.any(Number),
      uptime: expect.any(Number),
      canDisconnect: true,
      connections: {
        active: 3,
        peak: 3,
        total: 3,
        byTransport: { websocket: 3, polling: 0 },
        byNamespace: { '/': 2, '/chat': 1 },
      },
      traffic: {
        messagesIn: 3,
        messagesOut: expect.any(Number),
        bytesIn: expect.any(Number),
        bytesOut: expect.any(Number),
      },
      latency: { average: expect.any(Number) },
      refusals: { rateLimited: 1, dropped: 0, slowConsumers: 0, rejectedConnections: 0 },
      rooms: {
        total: 3,
        limit: MAX_ROOMS_LISTED,
        list: [
          { namespace: '/', name: 'lobby', size: 2 },
          expect.objectContaining({ size: 1 }),
          expect.objectContaining({ size: 1 }),
        ],
      },
    });
    expect(server.getStats().transmission.rateLimited).toBe(1);
    const metrics = await call(server.port, '/smartsocket/metrics', { token: TOKEN });
    expect(metrics.body).toMatch(/^smartsocket_rate_limited_total 1$/m);
    expect(metrics.body).toMatch(/^smartsocket_slow_consumers_total 0$/m);
  });

  it('lists sockets with address, namespace, transport, rooms, buffered bytes and latency', async () => {
    const server = await startServer(cleanup, { metricsToken: TOKEN });
    server.namespace('/chat');
    server.namespace('/chat').on('connected', (socket) => socket.join(['x', 'y']));
    const a = cleanup.client(await TestClient.connect(server));
    const b = cleanup.client(await TestClient.connect(server, { namespace: '/chat' }));
    const { json } = await call(server.port, `${API}/sockets`, { token: TOKEN });
    expect(json).toMatchObject({ total: 2, matched: 2, limit: MAX_SOCKETS_LISTED });
    const byId = new Map(json.sockets.map((s: { id: string }) => [s.id, s]));
    expect(byId.get(a.id)).toEqual({
      id: a.id,
      namespace: '/',
      address: expect.stringMatching(/127\.0\.0\.1/),
      transport: 'websocket',
      rooms: [],
      roomCount: 0,
      bufferedBytes: expect.any(Number),
      slow: false,
      latency: expect.any(Number),
    });
    expect(byId.get(b.id)).toMatchObject({ namespace: '/chat', rooms: ['x', 'y'], roomCount: 2 });

    const chat = await call(server.port, `${API}/sockets?namespace=%2Fchat`, { token: TOKEN });
    expect(chat.json.sockets.map((s: { id: string }) => s.id)).toEqual([b.id]);
    expect(chat.json).toMatchObject({ total: 2, matched: 1 });
  });
});

describe('dashboard API limits', () => {
  it('pages the socket list and searches by id', async () => {
    const server = await startServer(cleanup);
    const clients: TestClient[] = [];
    for (let i = 0; i < 5; i++) clients.push(cleanup.client(await TestClient.connect(server)));
    const two = await call(server.port, `${API}/sockets?limit=2`);
    expect(two.json).toMatchObject({ total: 5, matched: 5, limit: 2 });
    expect(two.json.sockets).toHaveLength(2);
    const capped = await call(server.port, `${API}/sockets?limit=100000`);
    expect(capped.json.limit).toBe(MAX_SOCKETS_LISTED);
    const target = clients[3] as TestClient;
    const found = await call(
      server.port,
      `${API}/sockets?q=${target.id.slice(0, 13).toUpperCase()}`,
    );
    expect(found.json.sockets.map((s: { id: string }) => s.id)).toEqual([target.id]);
    expect(found.json).toMatchObject({ total: 5, matched: 1 });
    expect((await call(server.port, `${API}/sockets?q=${'a'.repeat(65)}`)).status).toBe(400);
    expect((await call(server.port, `${API}/sockets?limit=-1`)).status).toBe(400);
  });

  it('lists at most the largest rooms, and at most a few rooms per socket', async () => {
    const server = await startServer(cleanup);
    const many = Array.from({ length: MAX_ROOMS_LISTED + 20 }, (_, i) => `room-${i}`);
    server.on('connected', (socket) => {
      socket.join(many);
      socket.join('big');
    });
    cleanup.client(await TestClient.connect(server));
    cleanup.client(await TestClient.connect(server));
    const { json } = await call(server.port, `${API}/overview`);
    expect(json.rooms.total).toBe(many.length + 1);
    expect(json.rooms.list).toHaveLength(MAX_ROOMS_LISTED);
    const sockets = await call(server.port, `${API}/sockets`);
    for (const s of sockets.json.sockets) {
      expect(s.rooms).toHaveLength(ROOMS_PER_SOCKET);
      expect(s.roomCount).toBe(many.length + 1);
    }
  });

  it('refuses foreign origins, but not the page calling its own server', async () => {
    const server = await startServer(cleanup, { allowedOrigins: ['https://app.example'] });
    const foreign = await call(server.port, `${API}/overview`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const own = await call(server.port, `${API}/overview`, {
      headers: { origin: `http://127.0.0.1:${server.port}` },
    });
    expect(own.status).toBe(200);
  });
});

describe('dashboard failures', () => {
  it('answers 500 when an adapter throws, and keeps serving', async () => {
    const server = await startServer(cleanup, {
      adapter: (nsp) => {
        const adapter = new InMemoryAdapter(nsp);
        Object.defineProperty(adapter, 'rooms', {
          get() {
            throw new Error('broken adapter');
          },
        });
        return adapter;
      },
      logger: { error() {}, warn() {}, info() {}, debug() {} } as never,
    });
    expect((await call(server.port, `${API}/overview`)).status).toBe(500);
    expect((await call(server.port, `${API}/sockets`)).status).toBe(200);
  });
});

describe('dashboard disconnect', () => {
  it('disconnects one socket with the token, with a POST only', async () => {
    const server = await startServer(cleanup, { metricsToken: TOKEN });
    const a = cleanup.client(await TestClient.connect(server));
    const b = cleanup.client(await TestClient.connect(server));
    const path = `${API}/sockets/${a.id}/disconnect`;
    // A GET never changes anything.
    expect((await call(server.port, path, { token: TOKEN })).status).toBe(405);
    const gone = a.next((f) => f.type === FrameType.DISCONNECT);
    const res = await call(server.port, path, { method: 'POST', token: TOKEN });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ disconnected: a.id });
    expect((await gone).data).toEqual({ reason: 'server disconnect', reconnect: false });
    await a.closed;
    expect(server.sockets.has(a.id)).toBe(false);
    expect(server.sockets.has(b.id)).toBe(true);
    const again = await call(server.port, path, { method: 'POST', token: TOKEN });
    expect(again.status).toBe(404);
    const bad = await call(server.port, `${API}/sockets/%E0%A4%A/disconnect`, {
      method: 'POST',
      token: TOKEN,
    });
    expect(bad.status).toBe(400);
  });

  it('is refused when no metricsToken is configured', async () => {
    const server = await startServer(cleanup);
    const a = cleanup.client(await TestClient.connect(server));
    const res = await call(server.port, `${API}/sockets/${a.id}/disconnect`, { method: 'POST' });
    expect(res.status).toBe(403);
    expect((await call(server.port, `${API}/overview`)).json.canDisconnect).toBe(false);
    // Still connected: a round trip on the same socket proves it.
    server.on('marker', (_s, _d, ack) => ack?.('still here'));
    expect((await a.request('marker')).data).toBe('still here');
  });
});
