// Encryption end to end over real sockets: sealed CONNECT, refusals, no plaintext on the wire,
// tampering, sealed heartbeats and broadcasts, cluster broadcasts sealed on the receiving node.
import { generateKey } from '@smartsocket/crypto';
import { FrameFlag, FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClusterAdapter } from '../src/cluster-adapter.js';
import { createInProcessBus } from '../src/cluster-bus.js';
import { SmartSocket } from '../src/index.js';
import { Cleanup, type Received, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const KEY = generateKey();
const SECRET = 'attack-at-dawn-7f3a9c';

function contains(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle));
}

async function refusal(
  server: SmartSocket,
  opts: { key?: string },
): Promise<{ answer: Received; close: { code: number } }> {
  const client = cleanup.client(await TestClient.open(server, opts));
  const answer = await client.handshake();
  return { answer, close: await client.closed };
}

describe('encryption: handshake', () => {
  it('matching keys: CONNECT answer, events and acks are sealed and open', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    server.on('echo', (_s, data, ack) => ack?.(data));
    const client = cleanup.client(await TestClient.connect(server, { key: KEY }));
    const answer = client.frames.find((f) => f.type === FrameType.CONNECT)!;
    expect(answer.flags & FrameFlag.ENCRYPTED).toBe(FrameFlag.ENCRYPTED);
    expect((answer.data as { id: string }).id).toBe(client.id);
    const ack = await client.request('echo', { text: SECRET });
    expect(ack.type).toBe(FrameType.ACK);
    expect(ack.flags & FrameFlag.ENCRYPTED).toBe(FrameFlag.ENCRYPTED);
    expect(ack.data).toEqual({ text: SECRET });
  });

  it('a wrong key is refused with an unsealed ERROR ERR_CONN_004 and close 4001', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    const { answer, close } = await refusal(server, { key: generateKey() });
    expect(answer.type).toBe(FrameType.ERROR);
    expect(answer.flags & FrameFlag.ENCRYPTED).toBe(0);
    expect((answer.data as { code: string }).code).toBe('ERR_CONN_004');
    expect(close.code).toBe(4001);
    expect(server.getConnectionStats().rejected).toBe(1);
  });

  it('a client without a key is refused the same way', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    const { answer, close } = await refusal(server, {});
    expect(answer.flags & FrameFlag.ENCRYPTED).toBe(0);
    expect((answer.data as { code: string }).code).toBe('ERR_CONN_004');
    expect(close.code).toBe(4001);
  });

  it('a sealed CONNECT to a server without encryption is refused with ERR_CONN_004', async () => {
    const server = await startServer(cleanup, { enableEncryption: false });
    const { answer, close } = await refusal(server, { key: KEY });
    expect((answer.data as { code: string }).code).toBe('ERR_CONN_004');
    expect(close.code).toBe(4001);
  });

  it('refusals by authenticate after a good key are unsealed too', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY, authenticate: () => false });
    const { answer, close } = await refusal(server, { key: KEY });
    expect(answer.flags & FrameFlag.ENCRYPTED).toBe(0);
    expect((answer.data as { code: string }).code).toBe('ERR_CONN_004');
    expect(close.code).toBe(4001);
  });

  it('enableEncryption: true without a key is ERR_CONFIG_001', () => {
    vi.stubEnv('ENCRYPTION_KEY', undefined as unknown as string);
    try {
      expect(() => new SmartSocket({ enableEncryption: true })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG_001' }),
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('ENCRYPTION_KEY in the environment is not read implicitly', async () => {
    vi.stubEnv('ENCRYPTION_KEY', KEY);
    try {
      const server = await startServer(cleanup);
      expect(server.options.enableEncryption).toBe(false);
      expect(server.options.encryptionKey).toBeUndefined();
      const client = cleanup.client(await TestClient.connect(server));
      expect(client.id).not.toBe('');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('encryption: on the wire', () => {
  it('an observer without the key sees no plaintext, in either direction', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY, enableCompression: false });
    const sent: Uint8Array[] = [];
    server.on('say', (socket, data, ack) => {
      socket.emit('said', data);
      server.emit('news', { text: `${SECRET}-broadcast` });
      ack?.({ text: `${SECRET}-ack` });
    });
    const client = cleanup.client(await TestClient.connect(server, { key: KEY }));
    const frame = client.encode({ type: FrameType.EVENT, event: 'say', data: { text: SECRET } });
    sent.push(frame);
    client.ws.send(frame);
    await client.nextEvent('said');
    await client.nextEvent('news');
    // What the client understood (so the search below is not vacuous)…
    const values = JSON.stringify(client.frames.map((f) => f.data));
    expect(values).toContain(SECRET);
    expect(values).toContain(`${SECRET}-broadcast`);
    // …is nowhere in the bytes the server sent or the client wrote.
    expect(client.messages.length).toBeGreaterThan(0);
    for (const bytes of [...client.messages, ...sent]) expect(contains(bytes, SECRET)).toBe(false);
    for (const f of client.frames) expect(f.flags & FrameFlag.ENCRYPTED).toBe(FrameFlag.ENCRYPTED);
  });

  it('every frame after the handshake is sealed, heartbeats included', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    const client = cleanup.client(await TestClient.connect(server, { key: KEY }));
    client.send({ type: FrameType.HEARTBEAT, data: { t: 123, rtt: 7 } });
    const pong = await client.next((f) => f.type === FrameType.HEARTBEAT_ACK);
    expect(pong.flags & FrameFlag.ENCRYPTED).toBe(FrameFlag.ENCRYPTED);
    expect(pong.data).toEqual({ t: 123, rtt: 7 });
    expect(server.sockets.get(client.id)?.latency).toBe(7);
  });

  it('a tampered frame is ERR_MSG_003; the third bad frame disconnects', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    const events: unknown[] = [];
    server.on('say', (_s, data) => events.push(data));
    const client = cleanup.client(await TestClient.connect(server, { key: KEY }));
    const good = client.encode({ type: FrameType.EVENT, event: 'say', data: { n: 1 }, ackId: 9 });
    const tampered = good.slice();
    tampered[tampered.length - 20]! ^= 0x01;
    client.sendRaw(tampered);
    const first = await client.nextError();
    expect(first.flags & FrameFlag.ENCRYPTED).toBe(FrameFlag.ENCRYPTED);
    expect(first.data).toMatchObject({ code: 'ERR_MSG_003', event: 'say', ackId: 9 });
    // An unsealed frame is a bad frame too.
    client.key = undefined;
    client.emit('say', { n: 2 });
    client.key = (await import('@smartsocket/crypto')).parseKey(KEY);
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_003' });
    // The connection still works between bad frames.
    client.emit('say', { n: 3 });
    await vi.waitFor(() => expect(events).toEqual([{ n: 3 }]));
    client.sendRaw(tampered);
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_003' });
    expect((await client.closed).code).toBe(1008);
    expect(events).toEqual([{ n: 3 }]);
  });

  it('a broadcast is sealed once: recipients sharing the key get identical bytes', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    const a = cleanup.client(await TestClient.connect(server, { key: KEY }));
    const b = cleanup.client(await TestClient.connect(server, { key: KEY }));
    server.emit('news', { text: SECRET });
    const [fa, fb] = await Promise.all([a.nextEvent('news'), b.nextEvent('news')]);
    expect(fa.data).toEqual({ text: SECRET });
    expect(fa.flags & FrameFlag.ENCRYPTED).toBe(FrameFlag.ENCRYPTED);
    expect(Buffer.from(fa.section).equals(Buffer.from(fb.section))).toBe(true);
    // Unicasts are sealed per message: fresh nonces, different bytes.
    server.sockets.get(a.id)!.emit('direct', { text: SECRET });
    server.sockets.get(b.id)!.emit('direct', { text: SECRET });
    const [da, db] = await Promise.all([a.nextEvent('direct'), b.nextEvent('direct')]);
    expect(Buffer.from(da.section).equals(Buffer.from(db.section))).toBe(false);
  });

  it('broadcast acks: the sealed frame carries the ack id and sealed ACKs resolve it', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    const clients = [
      cleanup.client(await TestClient.connect(server, { key: KEY })),
      cleanup.client(await TestClient.connect(server, { key: KEY, deflate: true })),
    ];
    const answers = server.timeout(2000).emitWithAck('poll', { q: SECRET });
    for (const [i, c] of clients.entries()) {
      const poll = await c.nextEvent('poll');
      expect(poll.flags & FrameFlag.ENCRYPTED).toBe(FrameFlag.ENCRYPTED);
      expect(poll.data).toEqual({ q: SECRET });
      c.ack(poll.ackId!, i);
    }
    expect((await answers).sort()).toEqual([0, 1]);
  });

  it('cluster broadcasts arrive plain and are sealed on the receiving server', async () => {
    const bus = createInProcessBus();
    const opts = { heartbeatInterval: 50, heartbeatTimeout: 400, requestTimeout: 300 };
    const one = await startServer(cleanup, {
      encryptionKey: KEY,
      adapter: createClusterAdapter(bus(), opts),
    });
    const two = await startServer(cleanup, {
      encryptionKey: KEY,
      adapter: createClusterAdapter(bus(), opts),
    });
    await vi.waitFor(() => expect(one.namespace('/').adapter.serverCount()).toBe(2));
    const client = cleanup.client(await TestClient.connect(two, { key: KEY }));
    one.emit('news', { text: SECRET });
    const news = await client.nextEvent('news');
    expect(news.flags & FrameFlag.ENCRYPTED).toBe(FrameFlag.ENCRYPTED);
    expect(news.data).toEqual({ text: SECRET });
    expect(contains(news.raw, SECRET)).toBe(false);
  });
});
