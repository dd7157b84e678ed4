// Middleware, requireAuth and rate limiting: rejections never reach handlers; ERROR carries ackId.
import { FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { Cleanup, once, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('middleware', () => {
  it('runs server then namespace middleware in order, async allowed', async () => {
    const server = await startServer(cleanup);
    const order: string[] = [];
    server.use(async (_socket, event, _data, next) => {
      order.push(`server1:${event}`);
      await new Promise((r) => setTimeout(r, 5));
      next();
    });
    server.use((_s, _e, _d, next) => {
      order.push('server2');
      next();
    });
    server.namespace('/').use((_s, _e, data, next) => {
      order.push('nsp');
      (data as { seen?: boolean }).seen = true;
      next();
    });
    server.on('save', (_s, data, ack) => {
      order.push('handler');
      ack?.(data);
    });
    const client = cleanup.client(await TestClient.connect(server));
    expect((await client.request('save', { x: 1 })).data).toEqual({ x: 1, seen: true });
    expect(order).toEqual(['server1:save', 'server2', 'nsp', 'handler']);
  });

  it('a rejection answers ERROR { code: ERR_MW_001, ackId, event } and never reaches handlers', async () => {
    const server = await startServer(cleanup);
    let reached = 0;
    server.use((_s, event, _d, next) => (event === 'bad' ? next(new Error('nope')) : next()));
    server.on('bad', () => reached++);
    const client = cleanup.client(await TestClient.connect(server));
    const reply = await client.request('bad', 1);
    expect(reply.type).toBe(FrameType.ERROR);
    expect(reply.data).toMatchObject({
      code: 'ERR_MW_001',
      message: 'Rejected by middleware',
      event: 'bad',
      ackId: 1,
    });
    client.emit('bad', 2);
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MW_001', event: 'bad' });
    expect(reached).toBe(0);
  });

  it("keeps the middleware error's own code, and treats throws and rejected promises as rejections", async () => {
    const server = await startServer(cleanup);
    server.namespace('/').use((_s, event, _d, next) => {
      if (event === 'coded') next(Object.assign(new Error('slow down'), { code: 'ERR_RATE_001' }));
      else if (event === 'throws') throw new Error('boom');
      else if (event === 'async') return Promise.reject(new Error('later'));
      else next();
    });
    server.on('ok', (_s, _d, ack) => ack?.('ok'));
    const client = cleanup.client(await TestClient.connect(server));
    expect((await client.request('coded')).data).toMatchObject({ code: 'ERR_RATE_001' });
    expect((await client.request('throws')).data).toMatchObject({
      code: 'ERR_MW_001',
      message: 'Rejected by middleware',
    });
    expect((await client.request('async')).data).toMatchObject({
      code: 'ERR_MW_001',
      message: 'Rejected by middleware',
    });
    expect((await client.request('ok')).data).toBe('ok');
  });

  it('socket.requireAuth rejects every event but auth with ERR_CONN_004 until data.authenticated', async () => {
    const server = await startServer(cleanup);
    server.on('connected', (socket) => {
      socket.requireAuth = true;
    });
    server.on('auth', (socket, data, ack) => {
      if ((data as { password?: string }).password === 'pw') socket.data.authenticated = true;
      ack?.(socket.data.authenticated === true);
    });
    let reached = 0;
    server.on('secret', (_s, _d, ack) => {
      reached++;
      ack?.('s3cr3t');
    });
    const client = cleanup.client(await TestClient.connect(server));
    expect((await client.request('secret')).data).toMatchObject({
      code: 'ERR_CONN_004',
      event: 'secret',
    });
    expect(reached).toBe(0);
    expect((await client.request('auth', { password: 'pw' })).data).toBe(true);
    expect((await client.request('secret')).data).toBe('s3cr3t');
  });

  it('rejects reserved event names from clients', async () => {
    const server = await startServer(cleanup);
    let disconnected = 0;
    server.on('connected', (socket) => socket.on('disconnected', () => disconnected++));
    const client = cleanup.client(await TestClient.connect(server));
    expect((await client.request('disconnected')).data).toMatchObject({ code: 'ERR_MSG_001' });
    expect(disconnected).toBe(0);
  });
});

describe('rate limiting', () => {
  it('global window: __rate-limited__ event, ERROR with ackId and retryAfter, server rate-limit event', async () => {
    const server = await startServer(cleanup, { rateLimitWindow: 60_000, rateLimitMaxRequests: 3 });
    let handled = 0;
    server.on('msg', (_s, _d, ack) => {
      handled++;
      ack?.('ok');
    });
    const limited = once<[Socket, { event: string; code: string; retryAfter: number }]>(
      server,
      'rate-limit',
    );
    const nspLimited = once<[Socket, unknown]>(server.namespace('/'), 'rate-limit');
    const client = cleanup.client(await TestClient.connect(server));
    for (let i = 0; i < 3; i++) expect((await client.request('msg')).data).toBe('ok');
    const reply = await client.request('msg');
    expect(reply.type).toBe(FrameType.ERROR);
    expect(reply.data).toMatchObject({
      code: 'ERR_RATE_001',
      event: 'msg',
      ackId: 4,
      retryAfter: expect.any(Number),
    });
    const notice = await client.nextEvent('__rate-limited__');
    expect(notice.data).toMatchObject({
      code: 'ERR_RATE_001',
      event: 'msg',
      retryAfter: expect.any(Number),
      message: expect.any(String),
    });
    const [socket, info] = await limited;
    expect(socket.id).toBe(client.id);
    expect(info).toMatchObject({ event: 'msg', code: 'ERR_RATE_001' });
    expect((await nspLimited)[0]).toBe(socket);
    expect(handled).toBe(3);
  });

  it('heartbeats never count; setEventRateLimit gives ERR_RATE_002', async () => {
    const server = await startServer(cleanup, { rateLimitMaxRequests: 5 });
    server.setEventRateLimit('vote', { window: 60_000, maxRequests: 1 });
    server.on('vote', (_s, _d, ack) => ack?.('ok'));
    server.on('other', (_s, _d, ack) => ack?.('ok'));
    const client = cleanup.client(await TestClient.connect(server));
    for (let i = 0; i < 20; i++) client.send({ type: FrameType.HEARTBEAT, data: { t: i } });
    await client.next(
      (f) => f.type === FrameType.HEARTBEAT_ACK && (f.data as { t: number }).t === 19,
    );
    expect((await client.request('vote')).data).toBe('ok');
    expect((await client.request('vote')).data).toMatchObject({
      code: 'ERR_RATE_002',
      event: 'vote',
    });
    expect((await client.request('other')).data).toBe('ok');
  });

  it('enableRateLimiting: false turns it off', async () => {
    const server = await startServer(cleanup, {
      enableRateLimiting: false,
      rateLimitMaxRequests: 1,
    });
    server.on('msg', (_s, _d, ack) => ack?.('ok'));
    const client = cleanup.client(await TestClient.connect(server));
    for (let i = 0; i < 5; i++) expect((await client.request('msg')).data).toBe('ok');
    expect(() => server.setEventRateLimit('x', { window: 1, maxRequests: 1 })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_001' }),
    );
  });
});
