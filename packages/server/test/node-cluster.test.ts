// node:cluster with two real workers behind the primary's round robin: cross-worker broadcasts,
// rooms, unicasts, fetchSockets, serverSideEmit and broadcast acks, and polling without sticky
// sessions (every request on a fresh TCP connection, so they land on both workers).
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_NAMESPACE,
  decodeFrameData,
  decodeFrames,
  encodeMessage,
  FrameType,
} from '@smartsocket/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AnyClient, realClient } from './helpers/real-client.js';
import { Cleanup } from './helpers/test-client.js';

const script = fileURLToPath(new URL('./fixtures/cluster-app.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

let primary: ChildProcess;
let port: number;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  port = await freePort();
  primary = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@smartsocket/source', script],
    {
      cwd: packageDir,
      env: { ...process.env, PORT: String(port), WORKERS: '2', POLLING_TIMEOUT: '2000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the cluster did not start')), 40_000);
    let out = '';
    primary.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').some((l) => l.startsWith('{"workers"'))) {
        clearTimeout(timer);
        resolve();
      }
    });
    primary.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the primary exited with ${code}`));
    });
  });
}, 60_000);

afterAll(async () => {
  if (!primary || primary.exitCode !== null || primary.signalCode !== null) return;
  const exited = new Promise((resolve) => primary.once('exit', resolve));
  primary.kill('SIGTERM');
  await exited;
});

/** Connects WebSocket clients until there is one on each worker (round robin: a few tries). */
async function onBothWorkers(): Promise<Map<number, AnyClient>> {
  const byWorker = new Map<number, AnyClient>();
  for (let i = 0; i < 12 && byWorker.size < 2; i++) {
    const c = await realClient(cleanup, port, { transports: ['websocket'] });
    await c.connect();
    const worker = (await c.emitWithAck('whoami', null, { timeout: 5000 })) as number;
    if (!byWorker.has(worker)) byWorker.set(worker, c);
  }
  expect(byWorker.size).toBe(2);
  return byWorker;
}

const next = (c: AnyClient, event: string): Promise<unknown> =>
  new Promise((resolve) => c.once(event, resolve));

describe('node:cluster adapter, two workers', () => {
  it('broadcasts, room broadcasts and unicasts reach clients on the other worker', async () => {
    const [a, b] = [...(await onBothWorkers()).values()];
    expect(await b.emitWithAck('join', 'red', { timeout: 5000 })).toBe(true);
    const all = [next(a, 'news'), next(b, 'news')];
    await a.emitWithAck('to-all', { event: 'news', data: 1 }, { timeout: 5000 });
    expect(await Promise.all(all)).toEqual([1, 1]);

    const gotRed: unknown[] = [];
    a.on('red', (d: unknown) => gotRed.push(d));
    const red = next(b, 'red');
    await a.emitWithAck('to-room', { room: 'red', event: 'red', data: 2 }, { timeout: 5000 });
    expect(await red).toBe(2);
    const direct = next(b, 'direct');
    await a.emitWithAck('to-room', { room: b.id, event: 'direct', data: 3 }, { timeout: 5000 });
    expect(await direct).toBe(3);
    // The marker goes out after, from the same worker: a stray 'red' would have come before it.
    const marker = next(a, 'marker');
    await a.emitWithAck('to-all', { event: 'marker', data: 0 }, { timeout: 5000 });
    await marker;
    expect(gotRed).toEqual([]);
  });

  it('fetchSockets, serverSideEmit and broadcast acks gather both workers', async () => {
    const [a, b] = [...(await onBothWorkers()).values()];
    const count = (await a.emitWithAck('count', null, { timeout: 5000 })) as number;
    expect(count).toBeGreaterThanOrEqual(2);
    const servers = (await a.emitWithAck('ask-servers', 'hi', { timeout: 5000 })) as {
      err: string | null;
      answers: { worker: number; got: string }[];
    };
    expect(servers.err).toBeNull();
    expect(servers.answers).toHaveLength(1);
    expect(servers.answers[0]!.got).toBe('hi');
    for (const c of [a, b]) c.on('question', (q: number, ack: (r: unknown) => void) => ack(q + 1));
    const acks = (await b.emitWithAck('ask-all', 41, { timeout: 8000 })) as {
      err: string | null;
      answers: number[];
    };
    expect(acks.err).toBeNull();
    expect(acks.answers.length).toBe(count);
    expect(new Set(acks.answers)).toEqual(new Set([42]));
  });

  it('socketsJoin, namespaces and disconnectSockets act on the other worker', async () => {
    const [a, b] = [...(await onBothWorkers()).values()];
    expect(await a.emitWithAck('join-all', { room: b.id, to: 'blue' }, { timeout: 5000 })).toBe(
      true,
    );
    // socketsJoin lands on the other worker asynchronously: resend until it has.
    let blue: unknown;
    b.on('blue', (d: unknown) => {
      blue = d;
    });
    for (let i = 0; i < 50 && blue === undefined; i++) {
      await a.emitWithAck('to-room', { room: 'blue', event: 'blue', data: i }, { timeout: 5000 });
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(blue).toBeTypeOf('number');

    const chat = await realClient(cleanup, port, { transports: ['websocket'], namespace: '/chat' });
    await chat.connect();
    const said = next(chat, 'chat');
    await a.emitWithAck('chat-all', 'hi', { timeout: 5000 });
    await b.emitWithAck('chat-all', 'ho', { timeout: 5000 });
    expect(await said).toBe('hi');

    const gone = next(b, 'disconnected');
    await a.emitWithAck('kick', b.id, { timeout: 5000 });
    await gone;
  });

  it('serves one polling session from both workers: every request on a new connection', async () => {
    const open = await http('POST', '');
    expect(open.status).toBe(200);
    const token = open.body.toString();
    const q = `?token=${token}`;
    const connect = encodeMessage({
      type: FrameType.CONNECT,
      namespace: DEFAULT_NAMESPACE,
      data: { caps: { compression: [], binary: true } },
    });
    const workers = new Set<string>([open.worker]);
    const posted = await http('POST', q, connect);
    expect(posted.status).toBe(200);
    workers.add(posted.worker);
    const events: unknown[] = [];
    let connected = false;
    const poll = async (): Promise<void> => {
      const res = await http('GET', q);
      expect(res.status).toBe(200);
      workers.add(res.worker);
      for (const f of decodeFrames(res.body)) {
        if (f.type === FrameType.CONNECT) connected = true;
        if (f.type === FrameType.EVENT) events.push(decodeFrameData(f));
      }
    };
    for (let i = 0; i < 5 && !connected; i++) await poll();
    expect(connected).toBe(true);
    for (let n = 0; n < 10; n++) {
      const body = encodeMessage({
        type: FrameType.EVENT,
        namespace: '/',
        event: 'hello',
        data: n,
      });
      const res = await http('POST', q, body);
      expect(res.status).toBe(200);
      workers.add(res.worker);
      for (let i = 0; i < 5 && events.length <= n; i++) await poll();
    }
    expect(events).toEqual([...Array(10).keys()]);
    expect(workers).toEqual(new Set(['1', '2']));
  });

  it('a real polling client gets acks and room broadcasts sent from the other worker', async () => {
    const ws = await onBothWorkers();
    const poller = await realClient(cleanup, port, { transports: ['polling'] });
    await poller.connect();
    const owner = (await poller.emitWithAck('whoami', null, { timeout: 5000 })) as number;
    const other = [...ws.entries()].find(([w]) => w !== owner)![1];
    for (let i = 0; i < 20; i++)
      expect(await poller.emitWithAck('echo', i, { timeout: 5000 })).toBe(i);
    expect(await poller.emitWithAck('join', 'green', { timeout: 5000 })).toBe(true);
    for (let i = 0; i < 5; i++) {
      const got = next(poller, 'green');
      await other.emitWithAck(
        'to-room',
        { room: 'green', event: 'green', data: i },
        { timeout: 5000 },
      );
      expect(await got).toBe(i);
    }
  });

  it('measures the latency forwarding adds to a polling POST across workers (reported)', async () => {
    const open = await http('POST', '');
    const q = `?token=${open.body.toString()}`;
    const connect = encodeMessage({
      type: FrameType.CONNECT,
      namespace: DEFAULT_NAMESPACE,
      data: { caps: { compression: [], binary: true } },
    });
    expect((await http('POST', q, connect)).status).toBe(200);
    const byRoute: Record<'direct' | 'forwarded', number[]> = { direct: [], forwarded: [] };
    for (let i = 0; i < 200; i++) {
      const body = encodeMessage({ type: FrameType.EVENT, namespace: '/', event: 'ping', data: i });
      const t0 = performance.now();
      const res = await http('POST', q, body);
      const ms = performance.now() - t0;
      expect(res.status).toBe(200);
      byRoute[res.worker === open.worker ? 'direct' : 'forwarded'].push(ms);
    }
    const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1] ?? NaN;
    console.log(
      `polling POST median over node:cluster IPC (new TCP connection each): direct ${median(byRoute.direct).toFixed(2)} ms (${byRoute.direct.length}), forwarded ${median(byRoute.forwarded).toFixed(2)} ms (${byRoute.forwarded.length})`,
    );
    expect(byRoute.forwarded.length).toBeGreaterThan(0);
  });
});

/** One request on its own TCP connection (no keep-alive), so the primary may pick any worker. */
function http(
  method: 'GET' | 'POST',
  query: string,
  body?: Uint8Array,
): Promise<{ status: number; worker: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: `/smartsocket/poll${query}`,
        agent: false,
        headers: body ? { 'content-type': 'application/octet-stream' } : {},
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            worker: String(res.headers['x-worker']),
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body ? Buffer.from(body) : undefined);
  });
}
