// The shared-frame fast path (ws internals): taken for broadcasts, over wss:// too, racing the
// close handshake, and with a slow reader whose TCP socket backs up — order kept, no crash.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { Socket as NetSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeFrameData,
  decodeFrames,
  encodeMessage,
  FrameType,
  SUBPROTOCOL,
} from '@smartsocket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanup.run();
});

/**
 * Spies on every TCP (and TLS) socket write. The fast path writes one prebuilt WebSocket frame
 * (starting 0x82) — the very same Buffer — to every recipient; ws's own path frames each send.
 */
function watchSharedWrites(): () => number {
  const seen = new Map<Buffer, Set<unknown>>();
  const original = NetSocket.prototype.write;
  vi.spyOn(NetSocket.prototype, 'write').mockImplementation(function (
    this: NetSocket,
    ...args: Parameters<NetSocket['write']>
  ) {
    const chunk = args[0];
    if (Buffer.isBuffer(chunk) && chunk[0] === 0x82) {
      let sockets = seen.get(chunk);
      if (!sockets) seen.set(chunk, (sockets = new Set()));
      sockets.add(this);
    }
    return original.apply(this, args);
  });
  return () => Math.max(0, ...[...seen.values()].map((s) => s.size));
}

/** A minimal protocol client over any WebSocket (here wss:// with a self-signed certificate). */
async function rawClient(
  url: string,
): Promise<{ ws: WebSocket; events: unknown[]; next: (n: number) => Promise<void> }> {
  const ws = new WebSocket(url, [SUBPROTOCOL], { rejectUnauthorized: false });
  cleanup.add(() => ws.terminate());
  const events: unknown[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let connected: () => void = () => {};
  const ready = new Promise<void>((resolve) => (connected = resolve));
  ws.on('message', (data: Buffer) => {
    for (const f of decodeFrames(new Uint8Array(data))) {
      if (f.type === FrameType.CONNECT) connected();
      if (f.type === FrameType.EVENT) events.push(decodeFrameData(f));
    }
    for (const w of [...waiters]) if (events.length >= w.n) w.resolve();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(encodeMessage({ type: FrameType.CONNECT, data: { caps: { compression: [] } } }));
  await ready;
  const next = (n: number): Promise<void> =>
    events.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }));
  return { ws, events, next };
}

describe('the shared-frame fast path', () => {
  it('is taken for a broadcast: one prebuilt frame written to every recipient', async () => {
    const server = await startServer(cleanup);
    const all = await Promise.all(
      [0, 1, 2].map(async () => cleanup.client(await TestClient.connect(server))),
    );
    const sharedWith = watchSharedWrites();
    server.emit('news', { n: 1 });
    for (const c of all) expect((await c.nextEvent('news')).data).toEqual({ n: 1 });
    expect(sharedWith()).toBe(3);
  });

  it('works over wss:// (TLS socket under ws)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartsocket-tls-'));
    cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const https = createHttpsServer({
      key: readFileSync(join(dir, 'key.pem')),
      cert: readFileSync(join(dir, 'cert.pem')),
    });
    cleanup.add(() => new Promise((resolve) => https.close(resolve)));
    const server = await startServer(cleanup, { server: https });
    const url = `wss://127.0.0.1:${server.port}${server.options.path}`;
    const all = await Promise.all([0, 1, 2].map(() => rawClient(url)));
    const sharedWith = watchSharedWrites();
    // 7-bit, 16-bit and 64-bit WebSocket lengths, each shared by all three TLS sockets.
    for (const size of [10, 300, 70_000]) {
      server.emit('big', 'z'.repeat(size));
      await new Promise((r) => setImmediate(r));
    }
    for (const c of all) {
      await c.next(3);
      expect(c.events.map((e) => (e as string).length)).toEqual([10, 300, 70_000]);
    }
    expect(sharedWith()).toBe(3);
  });

  it('a broadcast racing the close handshake neither throws nor disturbs the others', async () => {
    const server = await startServer(cleanup);
    const errors: Error[] = [];
    server.on('error', (e) => errors.push(e));
    const stay = await Promise.all(
      [0, 1].map(async () => cleanup.client(await TestClient.connect(server))),
    );
    const leave = await Promise.all(
      [0, 1, 2, 3].map(async () => cleanup.client(await TestClient.connect(server))),
    );
    for (let i = 0; i < 50; i++) {
      if (i === 5) for (const c of leave.slice(0, 2)) c.ws.close(1000);
      if (i === 10)
        for (const id of leave.slice(2).map((c) => c.id)) server.sockets.get(id)?.disconnect();
      server.emit('seq', i);
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    server.emit('end', null);
    for (const c of stay) {
      await c.nextEvent('end');
      expect(c.frames.filter((f) => f.event === 'seq').map((f) => f.data)).toEqual(
        Array.from({ length: 50 }, (_, i) => i),
      );
    }
    for (const c of leave) expect([1000, 1005]).toContain((await c.closed).code);
    expect(errors).toEqual([]);
  });

  it('a slow reader whose socket backs up gets every broadcast, in order', async () => {
    const server = await startServer(cleanup, { maxBufferedBytes: 64 * 1024 * 1024 });
    const fast = cleanup.client(await TestClient.connect(server));
    const slow = cleanup.client(await TestClient.connect(server));
    const tcp = (slow.ws as unknown as { _socket: NetSocket })._socket;
    tcp.pause();
    const pad = 'p'.repeat(16 * 1024);
    const socket = server.sockets.get(slow.id)!;
    for (let i = 0; i < 800; i++) {
      server.emit('seq', { i, pad });
      // Per-socket frames between broadcasts: the fast path must not overtake them.
      if (i % 50 === 0) socket.emit('own', i);
      if (i % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    server.emit('end', null);
    await fast.nextEvent('end');
    // 12.8 MB while the slow reader reads nothing: more than the loopback buffers hold.
    tcp.resume();
    await slow.nextEvent('end', 20_000);
    const order = slow.frames
      .filter((f) => f.event === 'seq' || f.event === 'own')
      .map((f) => (f.event === 'own' ? `own${f.data}` : (f.data as { i: number }).i));
    const expected: (number | string)[] = [];
    for (let i = 0; i < 800; i++) {
      expected.push(i);
      if (i % 50 === 0) expected.push(`own${i}`);
    }
    expect(order).toEqual(expected);
  }, 60_000);
});
