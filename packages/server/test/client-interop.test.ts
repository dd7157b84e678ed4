// End-to-end with the real @smartsocket/client (loaded by path so this package's type check does
// not depend on the client's sources): the session protocol both sides agreed on.
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { type AnyClient, realClient } from './helpers/real-client.js';
import { Cleanup, once, startServer } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const client = (port: number, options?: Record<string, unknown>): Promise<AnyClient> =>
  realClient(cleanup, port, options);

describe('with @smartsocket/client', () => {
  it('connects, exchanges events and acks both ways', async () => {
    const server = await startServer(cleanup);
    server.on('save', (_socket, data, ack) => ack?.({ saved: data }));
    const connected = once<[Socket]>(server, 'connected');
    const c = await client(server.port);
    await c.connect();
    const [socket] = await connected;
    expect(c.id).toBe(socket.id);
    expect(await c.emitWithAck('save', { n: 1 })).toEqual({ saved: { n: 1 } });
    const news = new Promise((resolve) => c.on('news', resolve));
    socket.emit('news', { title: 'hi' });
    expect(await news).toEqual({ title: 'hi' });
    c.on('question', (_data: unknown, ack: (r: unknown) => void) => ack(42));
    expect(await socket.emitWithAck('question', null, { timeout: 2000 })).toBe(42);
  });

  it('middleware rejections reach the client as error event and ack { error, code }', async () => {
    const server = await startServer(cleanup);
    server.use((_s, _e, _d, next) => next(new Error('denied')));
    const c = await client(server.port);
    await c.connect();
    const errorEvent = new Promise((resolve) => c.on('error', resolve));
    const reply = await new Promise((resolve) => c.emit('x', 1, resolve));
    // A plain Error's message stays on the server: the client gets the code's generic text.
    expect(reply).toMatchObject({ error: 'Rejected by middleware', code: 'ERR_MW_001' });
    expect(await errorEvent).toMatchObject({ code: 'ERR_MW_001' });
  });

  it('namespaces: joins a created one, is refused an unknown one with ERR_MSG_005', async () => {
    const server = await startServer(cleanup);
    server.namespace('/chat');
    const ok = await client(server.port, { namespace: '/chat' });
    await ok.connect();
    expect(server.namespace('/chat').sockets.size).toBe(1);
    const bad = await client(server.port, { namespace: '/nope' });
    await expect(bad.connect()).rejects.toMatchObject({ code: 'ERR_MSG_005' });
  });

  it('socket.disconnect() ends the session without reconnection', async () => {
    const server = await startServer(cleanup);
    const connected = once<[Socket]>(server, 'connected');
    const c = await client(server.port, { maxReconnectAttempts: 5, reconnectDelay: 10 });
    await c.connect();
    const [socket] = await connected;
    const gone = new Promise((resolve) => c.on('disconnected', resolve));
    let reconnecting = 0;
    c.on('reconnecting', () => reconnecting++);
    socket.disconnect();
    await gone;
    await new Promise((r) => setTimeout(r, 50));
    expect(reconnecting).toBe(0);
    expect(c.connected).toBe(false);
  });
});
