// Handshake, events and acks in both directions over real sockets.
import { FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cleanup, once, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('handshake', () => {
  it('answers CONNECT with the session parameters', async () => {
    const server = await startServer(cleanup, { heartbeatInterval: 1234, heartbeatTimeout: 567 });
    const client = cleanup.client(await TestClient.open(server));
    const answer = await client.handshake();
    expect(answer.type).toBe(FrameType.CONNECT);
    expect(client.ws.protocol).toBe('smartsocket-v1');
    expect(answer.data).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sid: expect.any(String),
      heartbeatInterval: 1234,
      heartbeatTimeout: 567,
      maxPayload: 16 * 1024 * 1024,
      recovered: false,
      caps: { compression: [], binary: true },
    });
    expect(server.sockets.get(client.id)?.connected).toBe(true);
  });

  it("emits 'connected' (and alias 'connection') with the socket", async () => {
    const server = await startServer(cleanup);
    const connected = once<[{ id: string }]>(server, 'connected');
    const connection = once<[{ id: string }]>(server, 'connection');
    const client = cleanup.client(await TestClient.connect(server));
    expect((await connected)[0].id).toBe(client.id);
    expect((await connection)[0].id).toBe(client.id);
  });

  it('passes apiKey, auth, headers and address to authenticate; false → ERR_CONN_004', async () => {
    const seen: unknown[] = [];
    const server = await startServer(cleanup, {
      authenticate: async (hs) => {
        seen.push(hs);
        return (hs.auth as { token?: string })?.token === 'good';
      },
    });
    const ok = cleanup.client(
      await TestClient.connect(server, { auth: { token: 'good' }, apiKey: 'k' }),
    );
    expect(ok.id).not.toBe('');
    expect(seen[0]).toMatchObject({
      apiKey: 'k',
      auth: { token: 'good' },
      address: '127.0.0.1',
      namespace: '/',
    });
    expect((seen[0] as { headers: Record<string, string> }).headers.host).toContain('127.0.0.1');
    const bad = cleanup.client(await TestClient.open(server));
    const answer = await bad.handshake({ auth: { token: 'bad' } });
    expect(answer.type).toBe(FrameType.ERROR);
    expect(answer.data).toMatchObject({ code: 'ERR_CONN_004' });
    expect((await bad.closed).code).toBe(4001);
    expect(server.getConnectionStats().rejected).toBeGreaterThanOrEqual(1);
  });

  it('handles events pipelined behind CONNECT while authenticate runs, in order', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const server = await startServer(cleanup, { authenticate: () => gate.then(() => true) });
    const got: unknown[] = [];
    server.on('early', (_s, data) => got.push(data));
    const client = cleanup.client(await TestClient.open(server));
    const answer = client.handshake();
    client.emit('early', 1);
    client.emit('early', 2);
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([]);
    release();
    expect((await answer).type).toBe(FrameType.CONNECT);
    await vi.waitFor(() => expect(got).toEqual([1, 2]));
  });

  it('checks the apiKey option', async () => {
    const server = await startServer(cleanup, { apiKey: ['a', 'b'] });
    cleanup.client(await TestClient.connect(server, { apiKey: 'b' }));
    const bad = cleanup.client(await TestClient.open(server));
    expect((await bad.handshake({ apiKey: 'c' })).data).toMatchObject({ code: 'ERR_CONN_004' });
  });

  it('serves only created namespaces (ERR_MSG_005 otherwise)', async () => {
    const server = await startServer(cleanup);
    const quiz = server.namespace('/quiz');
    expect(server.of('/quiz')).toBe(quiz);
    const seen = once<[{ id: string }]>(quiz, 'connected');
    const client = cleanup.client(await TestClient.connect(server, { namespace: '/quiz' }));
    expect((await seen)[0].id).toBe(client.id);
    expect(server.sockets.has(client.id)).toBe(false);
    const stray = cleanup.client(await TestClient.open(server, { namespace: '/nope' }));
    const answer = await stray.handshake();
    expect(answer.data).toMatchObject({ code: 'ERR_MSG_005' });
    expect((await stray.closed).code).toBe(1008);
  });
});

describe('events and acks', () => {
  it('delivers client events to server-level handlers with (socket, data, ack)', async () => {
    const server = await startServer(cleanup);
    server.on('chat', (socket, data, ack) => ack?.({ echo: data, from: socket.id }));
    const client = cleanup.client(await TestClient.connect(server));
    const reply = await client.request('chat', { text: 'hi' });
    expect(reply.type).toBe(FrameType.ACK);
    expect(reply.data).toEqual({ echo: { text: 'hi' }, from: client.id });
  });

  it('delivers to socket handlers with (data, ack) and namespace handlers', async () => {
    const server = await startServer(cleanup);
    const quiz = server.namespace('/quiz');
    const got: unknown[] = [];
    quiz.on('connected', (socket) => {
      socket.on('answer', (data, ack) => {
        got.push(['socket', data]);
        ack?.('ok');
      });
    });
    quiz.on('answer', (_socket, data) => got.push(['nsp', data]));
    const client = cleanup.client(await TestClient.connect(server, { namespace: '/quiz' }));
    expect((await client.request('answer', 42)).data).toBe('ok');
    expect(got).toEqual([
      ['socket', 42],
      ['nsp', 42],
    ]);
  });

  it("reports handler throws and rejections as the server 'error' event and keeps serving", async () => {
    const server = await startServer(cleanup);
    const errors: Error[] = [];
    server.on('error', (err) => errors.push(err));
    server.on('sync', () => {
      throw new Error('sync boom');
    });
    server.on('async', async () => {
      throw new Error('async boom');
    });
    server.on('ok', (_s, _d, ack) => ack?.('ok'));
    const client = cleanup.client(await TestClient.connect(server));
    client.emit('sync');
    client.emit('async');
    expect((await client.request('ok')).data).toBe('ok');
    await vi.waitFor(() =>
      expect(errors.map((e) => e.message)).toEqual(['sync boom', 'async boom']),
    );
  });

  it('only the first ack call answers', async () => {
    const server = await startServer(cleanup);
    server.on('twice', (_s, _d, ack) => {
      ack?.(1);
      ack?.(2);
    });
    server.on('after', (_s, _d, ack) => ack?.('after'));
    const client = cleanup.client(await TestClient.connect(server));
    expect((await client.request('twice')).data).toBe(1);
    expect((await client.request('after')).data).toBe('after');
    expect(client.frames.filter((f) => f.type === FrameType.ACK)).toHaveLength(2);
  });

  it('server → client acks: emit with callback, emitWithAck, timeout ERR_ACK_001', async () => {
    const server = await startServer(cleanup);
    const connected = once<[import('../src/index.js').Socket]>(server, 'connected');
    const client = cleanup.client(await TestClient.connect(server));
    const [socket] = await connected;
    const viaCallback = new Promise((resolve) => socket.emit('q', 1, resolve));
    const q = await client.nextEvent('q');
    expect(q.ackId).toBeGreaterThan(0);
    client.ack(q.ackId!, 'a1');
    expect(await viaCallback).toBe('a1');
    const viaPromise = socket.emitWithAck('q2', 2);
    const q2 = await client.nextEvent('q2');
    client.ack(q2.ackId!, 'a2');
    expect(await viaPromise).toBe('a2');
    await expect(socket.emitWithAck('never', null, { timeout: 20 })).rejects.toMatchObject({
      code: 'ERR_ACK_001',
    });
    const timed = await new Promise<unknown[]>((resolve) =>
      socket.timeout(20).emit('never2', null, (...args: unknown[]) => resolve(args)),
    );
    expect(timed[0]).toMatchObject({ code: 'ERR_ACK_001' });
  });

  it('ignores stray and duplicate acks (ERR_ACK_003 at debug) and keeps serving', async () => {
    const lines: string[] = [];
    const logger = {
      error: () => {},
      warn: () => {},
      info: () => {},
      debug: (m: string) => lines.push(m),
    };
    const server = await startServer(cleanup, { logger });
    server.on('ping', (_s, _d, ack) => ack?.('pong'));
    const connected = once<[import('../src/index.js').Socket]>(server, 'connected');
    const client = cleanup.client(await TestClient.connect(server));
    const [socket] = await connected;
    const answered = socket.emitWithAck('q', null);
    const q = await client.nextEvent('q');
    client.ack(q.ackId!, 'first');
    client.ack(q.ackId!, 'duplicate');
    client.ack(999_999, 'stray');
    expect(await answered).toBe('first');
    expect((await client.request('ping')).data).toBe('pong');
    expect(lines.filter((l) => l.includes('ERR_ACK_003'))).toHaveLength(2);
  });

  it('rejects pending emitWithAck with ERR_CONN_006 when the socket goes away', async () => {
    const server = await startServer(cleanup);
    const connected = once<[import('../src/index.js').Socket]>(server, 'connected');
    const client = cleanup.client(await TestClient.connect(server));
    const [socket] = await connected;
    const pending = socket.emitWithAck('q', null, { timeout: 5000 });
    await client.nextEvent('q');
    await client.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_CONN_006' });
  });

  it("emits 'disconnected' on server, namespace and socket", async () => {
    const server = await startServer(cleanup);
    const connected = once<[import('../src/index.js').Socket]>(server, 'connected');
    const client = cleanup.client(await TestClient.connect(server));
    const [socket] = await connected;
    const onSocket = once<[string]>(socket, 'disconnected');
    const onServer = once<[unknown, string]>(server, 'disconnected');
    const onNsp = once<[unknown, string]>(server.namespace('/'), 'disconnected');
    client.send({ type: FrameType.DISCONNECT, data: { reason: 'client disconnect' } });
    expect(await onSocket).toEqual(['client disconnect']);
    expect((await onServer)[1]).toBe('client disconnect');
    expect((await onNsp)[0]).toBe(socket);
    expect(socket.connected).toBe(false);
  });

  it('socket.disconnect() sends DISCONNECT { reconnect: false } and closes', async () => {
    const server = await startServer(cleanup);
    const connected = once<[import('../src/index.js').Socket]>(server, 'connected');
    const client = cleanup.client(await TestClient.connect(server));
    const [socket] = await connected;
    socket.disconnect();
    const frame = await client.next((f) => f.type === FrameType.DISCONNECT);
    expect(frame.data).toEqual({ reason: 'server disconnect', reconnect: false });
    expect((await client.closed).code).toBe(1000);
    expect(server.sockets.size).toBe(0);
  });
});
