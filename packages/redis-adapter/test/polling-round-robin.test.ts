// Three servers on one real Redis behind a round-robin proxy (no sticky sessions): WebSocket and
// long-polling clients emit, get acks and receive room broadcasts; polling requests land on
// every server and are forwarded to their session's owner.
import { SmartSocketClient } from '@smartsocket/client';
import { DEFAULT_NAMESPACE, encodeMessage, FrameType } from '@smartsocket/protocol';
import type { SmartSocket } from '@smartsocket/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, next, type ServerExtra } from './support/cluster-fixture.js';
import { type RedisServer, startRedis } from './support/redis-server.js';
import { type RoundRobinProxy, startRoundRobinProxy } from './support/round-robin-proxy.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

describe('polling without sticky sessions (Redis)', () => {
  const fx = new Fixture(() => ({ url: redis.url }));
  let proxy: RoundRobinProxy | undefined;
  afterEach(async () => {
    await fx.close();
    await proxy?.close();
    proxy = undefined;
  });

  async function threeBehindProxy(extra: ServerExtra = {}): Promise<SmartSocket[]> {
    const servers = await fx.start(3, { enableRateLimiting: false, ...extra });
    for (const s of servers) {
      s.on('echo', (_sock, data, ack) => ack?.(data));
      s.on('shout', (_sock, { room, data }: { room: string; data: unknown }, ack) => {
        s.to(room).emit('shouted', data);
        ack?.(true);
      });
    }
    proxy = await startRoundRobinProxy(servers.map((s) => s.port));
    return servers;
  }

  function client(transport: 'websocket' | 'polling', extra = {}): SmartSocketClient {
    const c = new SmartSocketClient(`ws://127.0.0.1:${proxy!.port}`, {
      transports: [transport],
      maxReconnectAttempts: 0,
      ...extra,
    });
    fx.clients.push(c);
    return c;
  }

  it('WebSocket and polling clients emit, get acks and receive room broadcasts', async () => {
    const servers = await threeBehindProxy();
    const clients = [
      ...['websocket', 'websocket', 'websocket'].map(() => client('websocket')),
      ...['polling', 'polling', 'polling'].map(() => client('polling')),
    ];
    for (const c of clients) await c.connect();
    // Each WebSocket landed on its own server; the sockets are spread over all three.
    const owners = servers.map((s) => s.sockets.size);
    expect(owners.reduce((x, y) => x + y)).toBe(6);
    for (const [i, c] of clients.entries())
      expect(await c.emitWithAck('echo', { i }, { timeout: 5000 })).toEqual({ i });
    // Polling clients 3 and 4 and WebSocket client 0 join 'red'.
    const red = [clients[0]!, clients[3]!, clients[4]!];
    for (const c of red) expect(await c.emitWithAck('join', 'red', { timeout: 5000 })).toBe(true);
    const others = [clients[1]!, clients[2]!, clients[5]!];
    const stray: unknown[] = [];
    for (const c of others) c.on('shouted', (d: unknown) => stray.push(d));
    for (const [n, from] of clients.entries()) {
      const got = red.map((c) => next(c, 'shouted'));
      expect(await from.emitWithAck('shout', { room: 'red', data: n }, { timeout: 5000 })).toBe(
        true,
      );
      expect(await Promise.all(got)).toEqual([n, n, n]);
    }
    const markers = clients.map((c) => next(c, 'marker'));
    servers[0]!.emit('marker');
    await Promise.all(markers);
    expect(stray).toEqual([]);
    // The polling requests went to every server, not only to their sessions' owners.
    for (const hits of proxy!.hits.values()) expect(hits).toBeGreaterThan(3);
  });

  it('carries sealed, compressed polling sessions whose requests land on every server', async () => {
    const secure = { enableCompression: true, compressionThreshold: 64, encryptionKey: KEY };
    await threeBehindProxy(secure);
    const pollers = [client('polling', secure), client('polling', secure)];
    for (const c of pollers) await c.connect();
    const big = { text: 'sealed and compressed '.repeat(40), bytes: new Uint8Array([1, 2, 3]) };
    for (const c of pollers) {
      const back = (await c.emitWithAck('echo', big, { timeout: 5000 })) as typeof big;
      expect(back.text).toBe(big.text);
      expect(new Uint8Array(back.bytes)).toEqual(big.bytes);
    }
    expect(await pollers[0]!.emitWithAck('join', 'sealed', { timeout: 5000 })).toBe(true);
    const got = next(pollers[0]!, 'shouted');
    await pollers[1]!.emitWithAck('shout', { room: 'sealed', data: big.text }, { timeout: 5000 });
    expect(await got).toBe(big.text);
    for (const hits of proxy!.hits.values()) expect(hits).toBeGreaterThan(1);
  });

  it('measures the latency forwarding adds to a polling POST over Redis (reported)', async () => {
    const [a, b] = await fx.start(2, { enableRateLimiting: false });
    a!.on('ping', () => {});
    const base = (s: SmartSocket) => `http://127.0.0.1:${s.port}/smartsocket/poll`;
    const token = await (await fetch(base(a!), { method: 'POST' })).text();
    const frame = (f: Parameters<typeof encodeMessage>[0]) => new Uint8Array(encodeMessage(f));
    const headers = { 'content-type': 'application/octet-stream' };
    const connect = frame({
      type: FrameType.CONNECT,
      namespace: DEFAULT_NAMESPACE,
      data: { caps: { compression: [], binary: true } },
    });
    expect(
      (await fetch(`${base(a!)}?token=${token}`, { method: 'POST', headers, body: connect }))
        .status,
    ).toBe(200);
    const median = async (via: SmartSocket): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < 200; i++) {
        const body = frame({ type: FrameType.EVENT, namespace: '/', event: 'ping', data: i });
        const t0 = performance.now();
        const res = await fetch(`${base(via)}?token=${token}`, { method: 'POST', headers, body });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        times.push(performance.now() - t0);
      }
      times.sort((x, y) => x - y);
      return times[100]!;
    };
    const direct = await median(a!);
    const forwarded = await median(b!);
    console.log(
      `polling POST median over Redis: direct ${direct.toFixed(2)} ms, forwarded ${forwarded.toFixed(2)} ms`,
    );
    expect(forwarded).toBeGreaterThan(0);
  });
});
