// Replay protection with session keys, attacked on the wire: a raw TCP proxy between the real
// @smartsocket/client and the server records sealed frames and re-injects them into the same
// session, into new sessions, reordered, and back towards the client (and a recorded long-polling
// POST replayed into its session). All of it is ERR_MSG_003.
import { generateKey } from '@smartsocket/crypto';
import { decodeFrames, FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBroadcastPacket } from '../src/broadcast-packet.js';
import type { FramePipeline, PeerContext } from '../src/frame-pipeline.js';
import type { SmartSocket, SmartSocketOptions, Socket } from '../src/index.js';
import { type AnyClient, realClient } from './helpers/real-client.js';
import { type ProxiedConnection, RecordingProxy } from './helpers/recording-proxy.js';
import { Cleanup, once, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const KEY = generateKey();

/** The transport messages of one direction whose first frame has `type`. */
const ofType = (messages: Uint8Array[], type: FrameType, event?: string): Uint8Array[] =>
  messages.filter((m) => {
    const f = decodeFrames(m)[0];
    return f?.type === type && (event === undefined || f.event === event);
  });

/** The next `error` code the client reports. */
const nextErrorCode = (c: AnyClient): Promise<string> =>
  new Promise((resolve) => c.once('error', (e: { code: string }) => resolve(e.code)));

async function startProxy(server: SmartSocket): Promise<RecordingProxy> {
  const proxy = await RecordingProxy.start(server.port);
  cleanup.add(() => proxy.close());
  return proxy;
}

/** A real client connected through `proxy`, and its proxied connection. */
async function connectThrough(
  proxy: RecordingProxy,
  options: Record<string, unknown> = {},
): Promise<{ c: AnyClient; conn: ProxiedConnection }> {
  const next = proxy.nextConnection();
  const c = await realClient(cleanup, proxy.port, { encryptionKey: KEY, ...options });
  await c.connect();
  return { c, conn: await next };
}

/** A server recording every `say` and acking it (acks are the positive "it arrived" signal). */
async function sayServer(options: SmartSocketOptions = {}) {
  const server = await startServer(cleanup, {
    encryptionKey: KEY,
    enableCompression: false,
    ...options,
  });
  const said: unknown[] = [];
  server.on('say', (_s, data, ack) => {
    said.push(data);
    ack?.('ok');
  });
  return { server, said };
}

describe('replay protection: on the wire, through a recording proxy', () => {
  it('a captured EVENT re-injected into the same session is ERR_MSG_003 and never handled', async () => {
    const { server, said } = await sayServer();
    const { c, conn } = await connectThrough(await startProxy(server));
    c.emit('say', { n: 1 });
    await vi.waitFor(() => expect(said).toEqual([{ n: 1 }]));
    const [captured] = ofType(conn.up.messages, FrameType.EVENT, 'say');
    const refused = nextErrorCode(c);
    conn.up.inject(captured!);
    expect(await refused).toBe('ERR_MSG_003');
    // A later marker arrives, the replay did not.
    expect(await c.emitWithAck('say', { n: 2 })).toBe('ok');
    expect(said).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('reordered frames: the older one, delivered after a newer one, is ERR_MSG_003', async () => {
    const { server, said } = await sayServer();
    const { c, conn } = await connectThrough(await startProxy(server));
    let held: Uint8Array | undefined;
    conn.up.filter = (payload) => {
      if (held || ofType([payload], FrameType.EVENT, 'say').length === 0) return true;
      held = payload; // the attacker holds the first EVENT back…
      return false;
    };
    const before = conn.up.messages.length;
    c.emit('say', { n: 1 });
    await conn.up.seen(before + 1);
    expect(await c.emitWithAck('say', { n: 2 })).toBe('ok');
    const refused = nextErrorCode(c);
    conn.up.inject(held!); // …and delivers it late
    expect(await refused).toBe('ERR_MSG_003');
    expect(await c.emitWithAck('say', { n: 3 })).toBe('ok');
    expect(said).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('into a new session: a replayed CONNECT is refused before authenticate, a replayed EVENT does not open', async () => {
    const auths: unknown[] = [];
    const { server, said } = await sayServer({
      authenticate: (hs) => {
        auths.push(hs.auth);
        return true;
      },
    });
    const proxy = await startProxy(server);
    const a = await connectThrough(proxy, { auth: { user: 'alice' } });
    a.c.emit('say', { n: 1 });
    await vi.waitFor(() => expect(said).toEqual([{ n: 1 }]));
    const [connect] = ofType(a.conn.up.messages, FrameType.CONNECT);
    const [event] = ofType(a.conn.up.messages, FrameType.EVENT, 'say');
    expect(auths).toEqual([{ user: 'alice' }]);

    // The captured CONNECT on a new transport: refused, `authenticate` never sees it again.
    const attacker = cleanup.client(await TestClient.open(server));
    attacker.sendRaw(connect!);
    const answer = await attacker.next();
    expect(answer.type).toBe(FrameType.ERROR);
    expect(answer.data).toMatchObject({ code: 'ERR_MSG_003' });
    await attacker.closed;
    expect(auths).toHaveLength(1);

    // The captured EVENT injected into another genuine session: does not open there.
    const b = await connectThrough(proxy, { auth: { user: 'bob' } });
    const refused = nextErrorCode(b.c);
    b.conn.up.inject(event!);
    expect(await refused).toBe('ERR_MSG_003');
    expect(await b.c.emitWithAck('say', { n: 2 })).toBe('ok');
    expect(said).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('a replayed CONNECT that is accepted (another server with the same key) yields no usable session', async () => {
    const first = await sayServer();
    const a = await connectThrough(await startProxy(first.server));
    a.c.emit('say', { n: 1 });
    await vi.waitFor(() => expect(first.said).toHaveLength(1));
    const [connect] = ofType(a.conn.up.messages, FrameType.CONNECT);
    const [event] = ofType(a.conn.up.messages, FrameType.EVENT, 'say');

    // A second node (or a restarted one) has not seen the CONNECT's nonce: it accepts it…
    const other = await sayServer();
    const connected = once<[Socket]>(other.server, 'connected');
    const attacker = cleanup.client(await TestClient.open(other.server));
    attacker.sendRaw(connect!);
    const answer = await attacker.next();
    expect(answer.type).toBe(FrameType.CONNECT);
    await connected;
    // …but the answer is sealed for the genuine client's nonce and every later frame needs keys
    // derived from the server's fresh nonce: the captured EVENT fails, three failures close.
    for (let i = 0; i < 3; i++) attacker.sendRaw(event!);
    expect((await attacker.closed).code).toBe(1008);
    expect(other.said).toEqual([]);
  });

  it('back towards the client: reflected, replayed unicasts and replayed broadcasts are ERR_MSG_003', async () => {
    const { server } = await sayServer();
    const proxy = await startProxy(server);
    const connected = once<[Socket]>(server, 'connected');
    const { c, conn } = await connectThrough(proxy);
    const [socket] = await connected;
    const got: string[] = [];
    for (const name of ['say', 'direct', 'news', 'marker'])
      c.on(name, (d: { n: number }) => got.push(`${name}:${d.n}`));
    const marker = async (n: number) => {
      const seen = new Promise((resolve) => c.once('marker', resolve));
      socket.emit('marker', { n });
      await seen;
    };

    // The client's own EVENT sent back to it.
    c.emit('say', { n: 1 });
    await conn.up.seen(2);
    let refused = nextErrorCode(c);
    conn.down.inject(ofType(conn.up.messages, FrameType.EVENT, 'say')[0]!);
    expect(await refused).toBe('ERR_MSG_003');

    // A unicast and a broadcast (one transport message each), each delivered twice.
    socket.emit('direct', { n: 1 });
    await marker(1);
    server.emit('news', { n: 1 });
    await marker(2);
    for (const event of ['direct', 'news']) {
      refused = nextErrorCode(c);
      conn.down.inject(ofType(conn.down.messages, FrameType.EVENT, event)[0]!);
      expect(await refused).toBe('ERR_MSG_003');
    }
    await marker(3);
    expect(got).toEqual(['direct:1', 'marker:1', 'news:1', 'marker:2', 'marker:3']);

    // The broadcast into a session that joined after it was sent: older than its group counter.
    const late = await connectThrough(proxy);
    refused = nextErrorCode(late.c);
    late.conn.down.inject(ofType(conn.down.messages, FrameType.EVENT, 'news')[0]!);
    expect(await refused).toBe('ERR_MSG_003');

    // A server frame reflected to the server does not open there either.
    refused = nextErrorCode(c);
    conn.up.inject(ofType(conn.down.messages, FrameType.EVENT, 'direct')[0]!);
    expect(await refused).toBe('ERR_MSG_003');
    expect(await c.emitWithAck('say', { n: 2 })).toBe('ok');
  });

  it('key rotation: each key has its own broadcast group, whose broadcasts do not open in the other', async () => {
    const NEW = generateKey();
    const { server } = await sayServer({ keyRotationGracePeriod: 30_000 });
    const proxy = await startProxy(server);
    const old = await connectThrough(proxy);
    server.rotateEncryptionKey(NEW);
    const fresh = await connectThrough(proxy, { encryptionKey: NEW });
    const news = [old, fresh].map(({ c }) => new Promise((resolve) => c.once('news', resolve)));
    server.emit('news', { n: 1 });
    expect(await Promise.all(news)).toEqual([{ n: 1 }, { n: 1 }]);
    const [fromOld] = ofType(old.conn.down.messages, FrameType.EVENT, 'news');
    const [fromNew] = ofType(fresh.conn.down.messages, FrameType.EVENT, 'news');
    expect(Buffer.from(fromOld!).equals(Buffer.from(fromNew!))).toBe(false);
    for (const [target, bytes] of [
      [fresh, fromOld],
      [old, fromNew],
    ] as const) {
      const refused = nextErrorCode(target.c);
      target.conn.down.inject(bytes!);
      expect(await refused).toBe('ERR_MSG_003');
    }
    // Both sessions keep working during the grace period.
    expect(await old.c.emitWithAck('say', { n: 1 })).toBe('ok');
    expect(await fresh.c.emitWithAck('say', { n: 2 })).toBe('ok');
  });

  it('a broadcast delivered late is sealed with the session keys, not its cached group variant', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    const early = cleanup.client(await TestClient.connect(server, { key: KEY }));
    const packet = createBroadcastPacket('/', 'news', { n: 1 });
    // The socket's connection and the server's pipeline, as the adapter path uses them.
    type Internals = {
      conn: PeerContext & { write(bytes: Uint8Array): boolean };
      ctx: { pipeline: FramePipeline };
    };
    const internals = (id: string) => server.sockets.get(id) as unknown as Internals;
    const e = internals(early.id);
    e.conn.write(e.ctx.pipeline.packetFor(packet, e.conn));
    expect((await early.nextEvent('news')).data).toEqual({ n: 1 });
    // A session that joined afterwards refuses the group variant (its counter is older)…
    const late = cleanup.client(await TestClient.connect(server, { key: KEY }));
    const l = internals(late.id);
    l.conn.write(l.ctx.pipeline.packetFor(packet, l.conn));
    const stale = await late.nextEvent('news');
    expect(stale.failure).toBeDefined();
    // …and opens the same packet sealed for it alone.
    l.conn.write(l.ctx.pipeline.packetForSession(packet, l.conn));
    const fresh = await late.nextEvent('news');
    expect(fresh.failure).toBeUndefined();
    expect(fresh.data).toEqual({ n: 1 });
  });

  it('over long-polling too: a captured POST body replayed into its session is ERR_MSG_003', async () => {
    const { server, said } = await sayServer();
    const realFetch = globalThis.fetch.bind(globalThis);
    const posts: { url: string; body: ArrayBuffer }[] = [];
    // The on-path recorder for HTTP: every POST of a polling session, as sent.
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      if (init?.method === 'POST' && init.body instanceof ArrayBuffer && url.includes('token='))
        posts.push({ url, body: init.body.slice(0) });
      return realFetch(url, init);
    });
    cleanup.add(() => vi.unstubAllGlobals());
    const c = await realClient(cleanup, server.port, {
      encryptionKey: KEY,
      transports: ['polling'],
    });
    await c.connect();
    c.emit('say', { n: 1 });
    await vi.waitFor(() => expect(said).toEqual([{ n: 1 }]));
    const captured = posts.find(
      (p) => ofType([new Uint8Array(p.body)], FrameType.EVENT, 'say').length > 0,
    )!;
    const refused = nextErrorCode(c);
    const res = await realFetch(captured.url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: captured.body,
    });
    await res.arrayBuffer();
    expect(await refused).toBe('ERR_MSG_003');
    expect(await c.emitWithAck('say', { n: 2 })).toBe('ok');
    expect(said).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('normal traffic through the proxy: acks, broadcasts, compression with encryption', async () => {
    const { server } = await sayServer({ enableCompression: true, compressionThreshold: 64 });
    server.on('echo', (_s, data, ack) => ack?.(data));
    const proxy = await startProxy(server);
    const one = await connectThrough(proxy);
    const two = await connectThrough(proxy);
    const big = { rows: Array.from({ length: 100 }, (_, i) => ({ i, name: 'row' })) };
    expect(await one.c.emitWithAck('echo', big)).toEqual(big);
    const news = [one, two].map(({ c }) => new Promise((resolve) => c.once('news', resolve)));
    for (let n = 0; n < 3; n++) server.emit('news', { n, big });
    expect(await Promise.all(news)).toEqual([
      { n: 0, big },
      { n: 0, big },
    ]);
    // Every frame after the CONNECT, both ways, was sealed.
    for (const m of [...one.conn.up.messages, ...one.conn.down.messages])
      for (const f of decodeFrames(m)) expect(f.flags & 0x40).toBe(0x40);
  });
});
