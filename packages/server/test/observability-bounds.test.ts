// Bounded observability: metricsToken guards the stats routes, event labels are only the app's
// handled events, and rate-limit refusals are logged once per client per window.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { concatFrames, encodeMessage, FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmartSocket, SmartSocketOptions } from '../src/index.js';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

// A full collection before each heap reading, so garbage of the run does not count as growth.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const base = (server: SmartSocket) => `http://127.0.0.1:${server.port}${server.options.path}`;

describe('metricsToken', () => {
  it('stats and metrics need Authorization: Bearer <token>; 401 with WWW-Authenticate otherwise', async () => {
    const server = await startServer(cleanup, { metricsToken: 's3cret-token' });
    for (const route of ['/stats', '/metrics']) {
      const none = await fetch(base(server) + route);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer( |$)/);
      expect(await none.text()).not.toContain('connections');
      const wrong = await fetch(base(server) + route, {
        headers: { authorization: 'Bearer s3cret-tokem' },
      });
      expect(wrong.status).toBe(401);
      const basic = await fetch(base(server) + route, {
        headers: { authorization: 'Basic s3cret-token' },
      });
      expect(basic.status).toBe(401);
      const right = await fetch(base(server) + route, {
        headers: { authorization: 'Bearer s3cret-token' },
      });
      expect(right.status).toBe(200);
      await right.text();
    }
  });

  it('without metricsToken the routes stay open', async () => {
    const server = await startServer(cleanup);
    expect((await fetch(`${base(server)}/stats`)).status).toBe(200);
  });
});

/** Sends `count` events with distinct names in batches of 1000 frames, then a marker request. */
async function flood(server: SmartSocket, count: number, distinct: number): Promise<void> {
  const client = cleanup.client(await TestClient.connect(server));
  const batch = 1000;
  for (let sent = 0; sent < count; sent += batch) {
    const frames: Uint8Array[] = [];
    for (let i = sent; i < Math.min(count, sent + batch); i++)
      frames.push(
        encodeMessage({
          type: FrameType.EVENT,
          namespace: '/',
          event: `ev-${i % distinct}`,
          data: i,
        }),
      );
    client.sendRaw(concatFrames(frames));
  }
  // Frames are handled in order: once the marker is answered, every event was counted.
  expect((await client.request('ping', 'done')).data).toBe('done');
}

async function measured(distinct: number) {
  const options: SmartSocketOptions = { rateLimitMaxRequests: 1_000_000 };
  const server = await startServer(cleanup, options);
  server.on('ping', (_s, data, ack) => ack?.(data));
  server.on('ev-1', () => {});
  gc();
  const before = process.memoryUsage().heapUsed;
  await flood(server, 100_000, distinct);
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  const res = await fetch(`${base(server)}/metrics`);
  const page = await res.text();
  const events = server.getNamespaceStats()['/']!.events;
  return { grown, page, events };
}

describe('per-event counters', () => {
  it('100,000 distinct event names: counted as _unhandled, heap and /metrics bounded', async () => {
    const few = await measured(10);
    const many = await measured(100_000);
    for (const run of [few, many]) {
      // Only the events the app handles have their own key.
      expect(Object.keys(run.events).sort()).toEqual(['_unhandled', 'ev-1', 'ping']);
      expect(run.events.ping).toBe(1);
      expect(run.events._unhandled! + run.events['ev-1']!).toBe(100_000);
    }
    expect(many.events['ev-1']).toBe(1);
    // The page does not grow with the names a client chose (only digits of counters differ).
    expect(many.page.length).toBeLessThan(few.page.length + 200);
    expect(many.page).not.toContain('ev-99999');
    // Nothing per name is kept (100,000 names kept would be several MB).
    expect(many.grown).toBeLessThan(few.grown + 2 * 1024 * 1024);
  }, 60_000);
});

describe('rate-limit refusals', () => {
  it('are logged at warn once per client per window', async () => {
    const warns: string[] = [];
    const logger = { error: () => {}, warn: (m: string) => warns.push(m), info() {}, debug() {} };
    const server = await startServer(cleanup, { logger, rateLimitMaxRequests: 2 });
    const clients = [
      cleanup.client(await TestClient.connect(server)),
      cleanup.client(await TestClient.connect(server)),
    ];
    for (const client of clients) {
      for (let i = 0; i < 12; i++) client.emit('spam', i);
      // The tenth refusal (12 sent, 2 allowed) is the last frame it gets back.
      for (let i = 0; i < 10; i++) await client.nextError();
    }
    const refusals = warns.filter((w) => w.includes('ERR_RATE_001'));
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toContain(clients[0]!.id);
    expect(refusals[1]).toContain(clients[1]!.id);
  });
});
