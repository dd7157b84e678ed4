// getStats / getConnectionStats / getNamespaceStats and the HTTP stats + metrics endpoints.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function get(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('stats', () => {
  it('counts connections, namespaces and events', async () => {
    const server = await startServer(cleanup);
    server.namespace('/quiz');
    server.on('hello', (_s, _d, ack) => ack?.(1));
    const a = cleanup.client(await TestClient.connect(server));
    cleanup.client(await TestClient.connect(server, { namespace: '/quiz' }));
    await a.request('hello');
    await a.request('hello');
    expect(server.getConnectionStats()).toMatchObject({
      active: 2,
      total: 2,
      peak: 2,
      rejected: 0,
      byTransport: { websocket: 2, polling: 0 },
    });
    const stats = server.getStats();
    expect(stats).toMatchObject({
      connections: 2,
      memoryUsage: expect.stringMatching(/MB$/),
      uptime: expect.any(Number),
      messagesPerSecond: expect.any(Number),
      averageLatency: expect.any(Number),
      transmission: expect.any(Object),
    });
    const nsp = server.getNamespaceStats();
    expect(nsp['/']).toMatchObject({ connections: 1, events: { hello: 2 } });
    expect(nsp['/quiz']).toMatchObject({ connections: 1 });
  });

  it('serves GET {path}/stats (JSON) and {path}/metrics (Prometheus)', async () => {
    const server = await startServer(cleanup);
    cleanup.client(await TestClient.connect(server));
    const stats = await get(server.port, '/smartsocket/stats');
    expect(stats.status).toBe(200);
    expect(JSON.parse(stats.body)).toMatchObject({
      connections: 1,
      transmission: expect.any(Object),
    });
    const metrics = await get(server.port, '/smartsocket/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    expect(metrics.body).toMatch(/^# (HELP|TYPE) /m);
    expect((await get(server.port, '/smartsocket/other')).status).toBe(404);
  });

  it('enableMetrics: false turns both endpoints off', async () => {
    const server = await startServer(cleanup, { enableMetrics: false });
    expect((await get(server.port, '/smartsocket/stats')).status).toBe(404);
    expect((await get(server.port, '/smartsocket/metrics')).status).toBe(404);
  });
});
