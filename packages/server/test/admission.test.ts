// Admission before any per-connection state: allowRequest, per-address caps (with and without
// trustProxy), handshakeTimeout freeing slots, and the WebSocket message bound (close 1009).
import { randomBytes } from 'node:crypto';
import { type Socket as NetSocket, connect as tcpConnect } from 'node:net';
import { encodeMessage, FrameType, MAX_NAME_BYTES, SUBPROTOCOL } from '@smartsocket/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { realClient } from './helpers/real-client.js';
import { Cleanup, once, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** The HTTP status of a refused upgrade. */
async function refusedStatus(promise: Promise<unknown>): Promise<number> {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { status?: number } | undefined;
  expect(err).toBeDefined();
  return err!.status ?? 0;
}

describe('allowRequest', () => {
  it('false refuses the upgrade with 403 before any connection exists', async () => {
    const seen: string[] = [];
    const server = await startServer(cleanup, {
      allowRequest: (req) => {
        seen.push(String(req.headers['x-ticket']));
        return req.headers['x-ticket'] === 'yes';
      },
    });
    expect(await refusedStatus(TestClient.open(server, { headers: { 'x-ticket': 'no' } }))).toBe(
      403,
    );
    cleanup.client(await TestClient.connect(server, { headers: { 'x-ticket': 'yes' } }));
    expect(seen).toEqual(['no', 'yes']);
    expect(server.getConnectionStats()).toMatchObject({ active: 1, total: 1, rejected: 1 });
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('boom');
      },
    ],
    ['rejects', () => Promise.reject(new Error('boom'))],
    ['resolves to a non-true value', () => Promise.resolve('yes' as unknown as boolean)],
  ])('%s: 403, reported on the error event when it failed', async (name, allowRequest) => {
    const server = await startServer(cleanup, { allowRequest });
    const errors: Error[] = [];
    server.on('error', (err) => errors.push(err));
    expect(await refusedStatus(TestClient.open(server))).toBe(403);
    if (name === 'resolves to a non-true value') expect(errors).toEqual([]);
    else expect(errors.map((e) => e.message)).toEqual(['boom']);
  });

  it('a server stopped while allowRequest runs leaves nothing open (stop does not hang)', async () => {
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let answer: (ok: boolean) => void = () => {};
    const server = await startServer(cleanup, {
      allowRequest: () =>
        new Promise<boolean>((resolve) => {
          answer = resolve;
          entered();
        }),
    });
    let connected = 0;
    server.on('connected', () => connected++);
    const opening = TestClient.open(server).then(
      (c) => cleanup.client(c),
      (e: unknown) => e,
    );
    await inside;
    const stopped = server.stop();
    answer(true);
    await stopped;
    // Refused outright, or (had the upgrade won the race) closed by stop(): nothing stays open.
    const result = await opening;
    if (!(result instanceof Error)) await (result as TestClient).closed;
    expect(connected).toBe(0);
    expect(server.getConnectionStats().active).toBe(0);
  });

  it('an async allowRequest that takes a while still admits', async () => {
    const server = await startServer(cleanup, {
      allowRequest: () => new Promise((resolve) => setTimeout(() => resolve(true), 20)),
    });
    cleanup.client(await TestClient.connect(server));
  });
});

describe('the same admission for polling sessions', () => {
  const openPolling = (server: { port: number; options: { path: string } }) =>
    fetch(`http://127.0.0.1:${server.port}${server.options.path}/poll`, { method: 'POST' });

  it('allowRequest refuses a polling session with 403 before it exists', async () => {
    let allow = false;
    const server = await startServer(cleanup, { allowRequest: () => allow });
    const refused = await openPolling(server);
    expect(refused.status).toBe(403);
    await refused.arrayBuffer();
    allow = true;
    const opened = await openPolling(server);
    expect(opened.status).toBe(200);
    expect((await opened.text()).length).toBeGreaterThan(10);
    expect(server.getConnectionStats()).toMatchObject({ active: 1, rejected: 1 });
  });

  it('a polling session and a WebSocket share the per-address cap', async () => {
    const server = await startServer(cleanup, { maxConnectionsPerAddress: 1 });
    const ws = cleanup.client(await TestClient.connect(server));
    const full = await openPolling(server);
    expect(full.status).toBe(503);
    await full.arrayBuffer();
    const gone = once(server, 'disconnected');
    await ws.close();
    await gone;
    const opened = await openPolling(server);
    expect(opened.status).toBe(200);
    await opened.text();
  });
});

describe('maxConnections with a slow allowRequest', () => {
  it('concurrent upgrades never overshoot the cap: slots are taken after allowRequest', async () => {
    const server = await startServer(cleanup, {
      maxConnections: 2,
      allowRequest: () => new Promise((resolve) => setTimeout(() => resolve(true), 30)),
    });
    const opened = await Promise.all(
      Array.from({ length: 5 }, async () => cleanup.client(await TestClient.open(server))),
    );
    const answers = await Promise.all(opened.map((c) => c.handshake()));
    const codes = answers.map((f) =>
      f.type === FrameType.CONNECT ? 'connected' : (f.data as { code: string }).code,
    );
    expect(codes.filter((c) => c === 'connected')).toHaveLength(2);
    expect(codes.filter((c) => c === 'ERR_CONN_005')).toHaveLength(3);
  });
});

describe('maxConnectionsPerAddress', () => {
  it('without trustProxy: the socket address counts, X-Forwarded-For is ignored', async () => {
    const server = await startServer(cleanup, { maxConnectionsPerAddress: 2 });
    const a = cleanup.client(
      await TestClient.connect(server, { headers: { 'x-forwarded-for': '10.0.0.1' } }),
    );
    cleanup.client(
      await TestClient.connect(server, { headers: { 'x-forwarded-for': '10.0.0.2' } }),
    );
    const third = cleanup.client(
      await TestClient.open(server, { headers: { 'x-forwarded-for': '10.0.0.3' } }),
    );
    expect((await third.nextError()).data).toMatchObject({ code: 'ERR_CONN_005' });
    expect((await third.closed).code).toBe(1013);
    expect(server.sockets.get(a.id)!.handshake.address).toBe('127.0.0.1');
    // The slot is released when a connection closes.
    const gone = once(server, 'disconnected');
    await a.close();
    await gone;
    cleanup.client(await TestClient.connect(server));
  });

  it('with trustProxy: the first X-Forwarded-For entry is the address (and handshake.address)', async () => {
    const server = await startServer(cleanup, { maxConnectionsPerAddress: 1, trustProxy: true });
    const connected = once<[Socket]>(server, 'connected');
    cleanup.client(
      await TestClient.connect(server, { headers: { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' } }),
    );
    const [socket] = await connected;
    expect(socket.handshake.address).toBe('203.0.113.7');
    cleanup.client(
      await TestClient.connect(server, { headers: { 'x-forwarded-for': '203.0.113.8' } }),
    );
    const same = cleanup.client(
      await TestClient.open(server, { headers: { 'x-forwarded-for': '203.0.113.7' } }),
    );
    expect((await same.nextError()).data).toMatchObject({ code: 'ERR_CONN_005' });
    // No header: the socket address, which has no connection yet.
    cleanup.client(await TestClient.connect(server));
  });
});

describe('handshakeTimeout', () => {
  it('also ends a CONNECT whose authenticate never answers', async () => {
    const server = await startServer(cleanup, {
      handshakeTimeout: 100,
      authenticate: () => new Promise<boolean>(() => {}),
    });
    const client = cleanup.client(await TestClient.open(server));
    const answer = await client.handshake();
    expect(answer.data).toMatchObject({ code: 'ERR_CONN_002' });
    expect((await client.closed).code).toBe(1001);
    expect(server.getConnectionStats().active).toBe(0);
  });

  it('2,000 sockets that open and send nothing are all closed and their slots freed', async () => {
    const N = 2000;
    const server = await startServer(cleanup, {
      maxConnections: N,
      handshakeTimeout: 8000,
      // Far later than the handshake timeout: idle sockets must not wait for this one.
      connectionTimeout: 120_000,
    });
    async function openIdle(count: number): Promise<TestClient[]> {
      const out: TestClient[] = [];
      for (let i = 0; i < count; i += 100) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(100, count - i) }, () => TestClient.open(server)),
        );
        for (const c of batch) out.push(cleanup.client(c));
      }
      return out;
    }
    const first = await openIdle(N);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('idle sockets still open')), 40_000);
    });
    const closes = await Promise.race([Promise.all(first.map((c) => c.closed)), deadline]);
    clearTimeout(timer);
    for (const closed of closes) expect(closed.code).toBe(1001);
    for (const c of first)
      expect(c.frames.map((f) => (f.data as { code?: string }).code)).toEqual(['ERR_CONN_002']);
    expect(server.getConnectionStats().active).toBe(0);
    // Every slot is free again: as many new sockets fit, and a real CONNECT is accepted.
    const second = await openIdle(N - 1);
    cleanup.client(await TestClient.connect(server));
    // (On a loaded machine some may already have timed out again: never refused as full.)
    for (const c of second)
      expect(c.frames.map((f) => (f.data as { code?: string }).code)).not.toContain('ERR_CONN_005');
  }, 120_000);
});

/** A raw TCP WebSocket upgrade to the server; resolves once the 101 answer has been read. */
async function rawUpgrade(port: number, path: string): Promise<NetSocket> {
  const socket = tcpConnect(port, '127.0.0.1');
  cleanup.add(() => socket.destroy());
  await once(socket, 'connect');
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
      `Sec-WebSocket-Protocol: ${SUBPROTOCOL}\r\n\r\n`,
  );
  let head = '';
  while (!head.includes('\r\n\r\n')) {
    const [chunk] = await once<[Buffer]>(socket, 'data');
    head += chunk.toString('latin1');
  }
  expect(head.startsWith('HTTP/1.1 101')).toBe(true);
  return socket;
}

describe('the WebSocket message bound', () => {
  it('a message just past maxPayload + headroom is refused with 1009 from its length alone', async () => {
    // Large enough that twice maxPayload (the old bound) is far past maxPayload + headroom.
    const maxPayload = 1024 * 1024;
    const server = await startServer(cleanup, { maxPayload });
    const socket = await rawUpgrade(server.port, server.options.path);
    // The bound: maxPayload plus the largest frame header (two 64 KiB names) and a seal.
    const length = maxPayload + 2 * MAX_NAME_BYTES + 1024 + 1;
    const header = Buffer.alloc(14);
    header[0] = 0x82;
    header[1] = 0x80 | 127;
    header.writeUInt32BE(0, 2);
    header.writeUInt32BE(length, 6);
    randomBytes(4).copy(header, 10);
    const reply = new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('close', () => resolve(Buffer.concat(chunks)));
    });
    // Only the header is sent: the refusal cannot have waited for the message to be buffered.
    socket.write(header);
    const bytes = await reply;
    expect(bytes[0]).toBe(0x88);
    expect(bytes.readUInt16BE(2)).toBe(1009);
  });

  it('a message within the bound is read (an oversized section gets ERR_MSG_004 and the session goes on)', async () => {
    const maxPayload = 1024;
    const server = await startServer(cleanup, { maxPayload });
    server.on('ping', (_s, data, ack) => ack?.(data));
    const client = cleanup.client(await TestClient.connect(server));
    client.sendRaw(encodeMessage({ type: FrameType.EVENT, event: 'big', data: 'x'.repeat(4000) }));
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_004', event: 'big' });
    expect((await client.request('ping', 1)).data).toBe(1);
  });

  it.each([['websocket'], ['polling']])(
    'a client batch of payloads that together exceed the bound still arrives (%s)',
    async (transport) => {
      const maxPayload = 4096;
      const server = await startServer(cleanup, { maxPayload, enableRateLimiting: false });
      const got: number[] = [];
      const all = new Promise<void>((resolve) =>
        server.on('part', (_s, data: { i: number }) => {
          got.push(data.i);
          if (got.length === 200) resolve();
        }),
      );
      const c = await realClient(cleanup, server.port, {
        enableCompression: false,
        transports: [transport],
      });
      await c.connect();
      const pad = 'y'.repeat(3000);
      // 200 × 3 KB in one turn: 600 KB, far past what one WebSocket message may hold.
      for (let i = 0; i < 200; i++) c.emit('part', { i, pad });
      await all;
      expect(got).toEqual(Array.from({ length: 200 }, (_, i) => i));
    },
  );
});
