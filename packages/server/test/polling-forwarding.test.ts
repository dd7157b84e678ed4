// Polling without sticky sessions: requests for a session another server owns are forwarded to
// it over the cluster adapter (in-process bus here; Redis and node:cluster have their own tests).
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_NAMESPACE,
  decodeFrameData,
  decodeFrames,
  encodeMessage,
  FrameType,
} from '@smartsocket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClusterAdapter, SmartSocket, SmartSocketOptions } from '../src/index.js';
import { createClusterAdapter, createInProcessBus } from '../src/index.js';
import { Cleanup, once, startServer } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const OCTET = { 'content-type': 'application/octet-stream' };
const liveness = { heartbeatInterval: 50, heartbeatTimeout: 1000, requestTimeout: 3000 };

const url = (s: SmartSocket, token?: string): string =>
  `http://127.0.0.1:${s.port}/smartsocket/poll${token ? `?token=${token}` : ''}`;
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);
const nodeOf = (s: SmartSocket): string => (s.namespace('/').adapter as ClusterAdapter).nodeId;

async function pair(extra: SmartSocketOptions = {}): Promise<[SmartSocket, SmartSocket]> {
  const bus = createInProcessBus();
  const a = await startServer(cleanup, {
    adapter: createClusterAdapter(bus(), liveness),
    ...extra,
  });
  const b = await startServer(cleanup, {
    adapter: createClusterAdapter(bus(), liveness),
    ...extra,
  });
  await vi.waitFor(() => {
    expect(a.namespace('/').adapter.serverCount()).toBe(2);
    expect(b.namespace('/').adapter.serverCount()).toBe(2);
  });
  return [a, b];
}

async function frames(res: Response): Promise<{ type: number; event?: string; data: unknown }[]> {
  const body = new Uint8Array(await res.arrayBuffer());
  return decodeFrames(body).map((f) => ({
    type: f.type,
    event: (f as { event?: string }).event,
    data: decodeFrameData(f),
  }));
}

function post(s: SmartSocket, token: string, frame: Uint8Array): Promise<Response> {
  return fetch(url(s, token), { method: 'POST', headers: OCTET, body: own(frame) });
}

const connectFrame = (): Uint8Array =>
  encodeMessage({
    type: FrameType.CONNECT,
    namespace: DEFAULT_NAMESPACE,
    data: { caps: { compression: [], binary: true } },
  });
const eventFrame = (event: string, data: unknown): Uint8Array =>
  encodeMessage({ type: FrameType.EVENT, namespace: DEFAULT_NAMESPACE, event, data });

/** Opens a session on `owner` and connects it with every request sent to `via`. */
async function sessionVia(owner: SmartSocket, via: SmartSocket): Promise<string> {
  const token = await (await fetch(url(owner), { method: 'POST' })).text();
  expect((await post(via, token, connectFrame())).status).toBe(200);
  const res = await fetch(url(via, token));
  expect(res.status).toBe(200);
  expect((await frames(res)).map((f) => f.type)).toContain(FrameType.CONNECT);
  return token;
}

describe('polling requests forwarded to the session owner', () => {
  it('names the owner in the token and serves GETs and POSTs that reach another server', async () => {
    const [a, b] = await pair();
    const connected = once<[{ id: string }]>(a, 'connected');
    const gotOnA = new Promise<unknown>((resolve) => a.on('hello', (_s, data) => resolve(data)));
    let onB = 0;
    b.on('connected', () => onB++);
    const token = await sessionVia(a, b);
    expect(token.startsWith(`${nodeOf(a)}.`)).toBe(true);
    const [socket] = await connected;
    expect(a.getConnectionStats().byTransport.polling).toBe(1);

    expect((await post(b, token, eventFrame('hello', { n: 1 }))).status).toBe(200);
    expect(await gotOnA).toEqual({ n: 1 });

    const held = fetch(url(b, token));
    a.sockets.get(socket.id)!.emit('news', 'from a');
    const res = await held;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect((await frames(res)).find((f) => f.event === 'news')?.data).toBe('from a');
    expect(onB).toBe(0);
  });

  it('answers a forwarded held GET empty after pollingTimeout, as a local one', async () => {
    const [a, b] = await pair({ pollingTimeout: 300 });
    const token = await sessionVia(a, b);
    const started = Date.now();
    const res = await fetch(url(b, token));
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('refuses tokens of unknown owners or made-up random parts as unknown sessions', async () => {
    const [a, b] = await pair();
    const random = randomBytes(18).toString('base64url');
    for (const token of [`0123456789abcdef.${random}`, `${nodeOf(a)}.${random}`, random]) {
      const res = await fetch(url(b, token));
      expect(res.status).toBe(400);
      expect((await frames(res))[0]!.data).toMatchObject({ code: 'ERR_CONN_006' });
    }
  });

  it('bounds a forwarded POST body by maxPayload before it crosses the bus', async () => {
    const [a, b] = await pair({ maxPayload: 1024 });
    const token = await sessionVia(a, b);
    const seen: unknown[] = [];
    a.on('big', (_s, d) => seen.push(d));
    const marker = new Promise((resolve) => a.on('marker', resolve));
    const big = new Uint8Array(200 * 1024);
    const res = await fetch(url(b, token), { method: 'POST', headers: OCTET, body: big });
    expect(res.status).toBe(413);
    const bad = await fetch(url(b, token), { method: 'POST', body: own(eventFrame('big', 1)) });
    expect(bad.status).toBe(415);
    expect((await post(b, token, eventFrame('marker', 1))).status).toBe(200);
    await marker;
    expect(seen).toEqual([]);
  });

  it('releases the held GET at the owner when the forwarded one is aborted: nothing is lost', async () => {
    const [a, b] = await pair();
    const connected = once<[{ id: string }]>(a, 'connected');
    const token = await sessionVia(a, b);
    const [socket] = await connected;
    const abort = new AbortController();
    const aborted = fetch(url(b, token), { signal: abort.signal }).catch(() => 'aborted');
    // The forwarded GET is held at the owner: a second GET there is refused until it is let go.
    await vi.waitFor(async () => {
      const res = await fetch(url(a, token), { signal: AbortSignal.timeout(200) }).catch(
        () => null,
      );
      expect(res?.status).toBe(400);
    });
    abort.abort();
    expect(await aborted).toBe('aborted');
    let res: Response | undefined;
    for (let i = 0; i < 50 && res === undefined; i++) {
      const get = fetch(url(a, token));
      const quick = await Promise.race([get, new Promise((r) => setTimeout(r, 100, 'held'))]);
      if (quick === 'held') {
        a.sockets.get(socket.id)!.emit('after', 1);
        res = await get;
      } else expect((quick as Response).status).toBe(400);
    }
    expect((await frames(res!)).find((f) => f.event === 'after')?.data).toBe(1);
  });

  it('treats a session of an unreachable owner as unknown while the bus is down, forwards again after', async () => {
    const bus = createInProcessBus();
    const ta = bus();
    const tb = bus();
    const a = await startServer(cleanup, { adapter: createClusterAdapter(ta, liveness) });
    const b = await startServer(cleanup, { adapter: createClusterAdapter(tb, liveness) });
    await vi.waitFor(() => expect(b.namespace('/').adapter.serverCount()).toBe(2));
    const token = await sessionVia(a, b);
    tb.setConnected(false);
    const res = await fetch(url(b, token));
    expect(res.status).toBe(400);
    tb.setConnected(true);
    await vi.waitFor(() => expect(b.namespace('/').adapter.serverCount()).toBe(2));
    expect((await post(b, token, eventFrame('x', 1))).status).toBe(200);
  });

  it('answers 503 ERR_CLUSTER_001 when the owner cannot serve a forwarded request', async () => {
    const [a, b] = await pair();
    const token = await sessionVia(a, b);
    (a.namespace('/').adapter as ClusterAdapter).servePolling(undefined);
    const res = await fetch(url(b, token));
    expect(res.status).toBe(503);
    expect((await frames(res))[0]!.data).toMatchObject({ code: 'ERR_CLUSTER_001' });
  });

  it('measures the latency forwarding adds to a POST (reported, not asserted)', async () => {
    const [a, b] = await pair({ enableRateLimiting: false });
    const token = await sessionVia(a, b);
    a.on('ping', () => {});
    const median = async (via: SmartSocket): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now();
        expect((await post(via, token, eventFrame('ping', i))).status).toBe(200);
        times.push(performance.now() - t0);
      }
      times.sort((x, y) => x - y);
      return times[100]!;
    };
    const direct = await median(a);
    const forwarded = await median(b);
    console.log(
      `polling POST median, in-process bus: direct ${direct.toFixed(2)} ms, forwarded ${forwarded.toFixed(2)} ms`,
    );
    expect(forwarded).toBeGreaterThan(0);
  });
});
