// End-to-end: @smartsocket/client against the real @smartsocket/server over real sockets.
import { SmartSocket, type SmartSocketOptions } from '@smartsocket/server';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClient, memoryLogger, next, quiet, record } from './helpers/setup.js';

const servers: SmartSocket[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function startServer(
  options: SmartSocketOptions = {},
): Promise<{ server: SmartSocket; url: string }> {
  const server = new SmartSocket({
    host: '127.0.0.1',
    port: 0,
    logger: memoryLogger(),
    ...options,
  });
  servers.push(server);
  await server.start();
  return { server, url: `ws://127.0.0.1:${server.port}` };
}

describe('client ↔ real server', () => {
  it('connects, exchanges events and acks both ways', async () => {
    const { server, url } = await startServer();
    server.on('save', (_socket: any, data: any, ack: any) => ack?.({ ok: true, got: data }));
    const serverSocket = new Promise<any>((resolve) => server.on('connected', resolve));
    const client = makeClient(url);
    const welcome = next(client, 'welcome');
    client.on('question', (data: number, ack: (r: unknown) => void) => ack(data * 2));
    await client.connect();
    const socket = await serverSocket;
    expect(client.id).toBe(socket.id);
    socket.emit('welcome', { hi: 1 });
    expect(await welcome).toEqual([{ hi: 1 }]);
    expect(await client.emitWithAck('save', { x: 1 })).toEqual({ ok: true, got: { x: 1 } });
    const viaCallback = await new Promise((resolve) => client.emit('save', 'cb', resolve));
    expect(viaCallback).toEqual({ ok: true, got: 'cb' });
    expect(await socket.emitWithAck('question', 21)).toBe(42);
  });

  it('joins the namespace given by the URL path', async () => {
    const { server, url } = await startServer();
    const chat = server.namespace('/chat');
    chat.on('msg', (_socket: any, data: any, ack: any) => ack?.(`chat:${data}`));
    const client = makeClient(`${url}/chat`);
    await client.connect();
    expect(await client.emitWithAck('msg', 'hi')).toBe('chat:hi');
  });

  it('an unknown namespace is refused with ERR_MSG_005, without retrying', async () => {
    const { url } = await startServer();
    const client = makeClient(`${url}/nowhere`, { maxReconnectAttempts: 5 });
    const log = record(client, ['reconnecting']);
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_MSG_005' });
    expect(log).toEqual([]);
  });

  it('authentication failure rejects with ERR_CONN_004 and does not retry', async () => {
    let attempts = 0;
    const { url } = await startServer({
      authenticate: (hs) => {
        attempts++;
        return (hs.auth as { token?: string } | undefined)?.token === 'good';
      },
    });
    const bad = makeClient(url, { auth: { token: 'bad' }, maxReconnectAttempts: 5 });
    await expect(bad.connect()).rejects.toMatchObject({ code: 'ERR_CONN_004' });
    await quiet(50);
    expect(attempts).toBe(1);
    const good = makeClient(url, { auth: { token: 'good' } });
    await good.connect();
    expect(good.connected).toBe(true);
  });

  it('max connections: ERR_CONN_005', async () => {
    const { url } = await startServer({ maxConnections: 1 });
    await makeClient(url).connect();
    const second = makeClient(url, { maxReconnectAttempts: 0 });
    await expect(second.connect()).rejects.toMatchObject({ code: 'ERR_CONN_005' });
  });

  it('middleware rejections reach the ack as { error, code } and the error event', async () => {
    const { server, url } = await startServer();
    server.use((_socket, event, _data, next) =>
      event === 'forbidden' ? next(new Error('nope')) : next(),
    );
    server.on('forbidden', () => {
      throw new Error('handler must not run');
    });
    const client = makeClient(url);
    await client.connect();
    const error = next(client, 'error');
    const res = await new Promise((resolve) => client.emit('forbidden', 1, resolve));
    expect(res).toMatchObject({ code: 'ERR_MW_001', error: expect.any(String) });
    expect((await error)[0].code).toBe('ERR_MW_001');
    await expect(client.emitWithAck('forbidden', 2)).rejects.toMatchObject({ code: 'ERR_MW_001' });
  });

  it('rate limiting sends __rate-limited__ and an error', async () => {
    const { server, url } = await startServer({ rateLimitMaxRequests: 2, rateLimitWindow: 60_000 });
    server.on('spam', () => {});
    const client = makeClient(url);
    await client.connect();
    const limited = next(client, '__rate-limited__');
    const error = next(client, 'error');
    for (let i = 0; i < 3; i++) client.emit('spam', i);
    const [info] = await limited;
    expect(info).toMatchObject({
      code: expect.stringMatching(/^ERR_RATE_00[12]$/),
      retryAfter: expect.any(Number),
    });
    expect((await error)[0].code).toMatch(/^ERR_RATE_00[12]$/);
  });

  it('refuses locally a message over the server maxPayload', async () => {
    const { server, url } = await startServer({ maxPayload: 1000 });
    let received = 0;
    server.on('big', () => received++);
    const client = makeClient(url);
    await client.connect();
    await expect(client.emitWithAck('big', 'x'.repeat(2000))).rejects.toMatchObject({
      code: 'ERR_MSG_004',
    });
    expect(received).toBe(0);
  });

  it('server.stop() makes the client reconnect to the server that comes back', async () => {
    const first = await startServer();
    const port = first.server.port;
    const client = makeClient(first.url, { reconnectDelay: 20, reconnectDelayMax: 50 });
    await client.connect();
    const disconnected = next(client, 'disconnected');
    const reconnecting = next(client, 'reconnecting');
    await first.server.stop();
    expect(await disconnected).toEqual(['server shutting down']);
    await reconnecting;
    const second = new SmartSocket({ host: '127.0.0.1', port, logger: memoryLogger() });
    servers.push(second);
    const queued = new Promise((resolve) =>
      second.on('later', (_s: any, data: any) => resolve(data)),
    );
    client.emit('later', 'sent while away');
    const back = next(client, 'reconnected');
    await second.start();
    await back;
    expect(await queued).toBe('sent while away');
  });

  it('socket.disconnect() on the server: no reconnection', async () => {
    const { server, url } = await startServer();
    const serverSocket = new Promise<any>((resolve) => server.on('connected', resolve));
    const client = makeClient(url, { reconnectDelay: 10 });
    await client.connect();
    const log = record(client, ['disconnected', 'reconnecting']);
    const disconnected = next(client, 'disconnected');
    (await serverSocket).disconnect();
    await disconnected;
    await quiet(60);
    expect(log.map((l) => l[0])).toEqual(['disconnected']);
    expect(client.connected).toBe(false);
  });

  it('heartbeats both ways keep an idle connection alive', async () => {
    const { url } = await startServer({
      heartbeatInterval: 20,
      heartbeatTimeout: 2000,
      connectionTimeout: 40,
    });
    const client = makeClient(url);
    await client.connect();
    const id = client.id;
    const log = record(client, ['disconnected', 'error']);
    for (let i = 0; i < 50 && client.latency === undefined; i++) await quiet(20);
    expect(client.latency).toBeGreaterThanOrEqual(0);
    await quiet(250); // several server probes and client heartbeats
    expect(log).toEqual([]);
    expect(client.connected).toBe(true);
    expect(client.id).toBe(id);
  });

  it('emits made before connect() arrive in order', async () => {
    const { server, url } = await startServer();
    const got: unknown[] = [];
    const done = new Promise((resolve) =>
      server.on('n', (_s: any, data: any) => {
        got.push(data);
        if (got.length === 5) resolve(undefined);
      }),
    );
    const client = makeClient(url);
    for (let i = 0; i < 5; i++) client.emit('n', i);
    await client.connect();
    await done;
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });
});
