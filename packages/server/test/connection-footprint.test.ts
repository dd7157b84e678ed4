// Per-connection structures created on first use keep the behaviour of eager ones.
import { FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('lazily created socket state', () => {
  it('socket.data starts as {} and keeps whatever is assigned, undefined included', async () => {
    const server = await startServer(cleanup);
    const client = cleanup.client(await TestClient.connect(server));
    const socket = server.sockets.get(client.id)!;
    expect(socket.data).toEqual({});
    socket.data.user = 'ada';
    expect(socket.data).toEqual({ user: 'ada' });
    socket.data = undefined;
    expect(socket.data).toBeUndefined();
    const fetched = await server.fetchSockets();
    expect(fetched.map((s) => s.data)).toEqual([undefined]);
  });

  it('handlers added after connecting get events, acks and disconnect', async () => {
    const server = await startServer(cleanup);
    const client = cleanup.client(await TestClient.connect(server));
    const socket = server.sockets.get(client.id)!;
    expect(socket._pendingAcks).toBe(0);
    const got: unknown[] = [];
    socket.on('ping', (data: unknown, ack?: (r: unknown) => void) => {
      got.push(data);
      ack?.({ pong: true });
    });
    const reply = await client.request('ping', { n: 1 });
    expect(reply.type).toBe(FrameType.ACK);
    expect(reply.data).toEqual({ pong: true });
    expect(got).toEqual([{ n: 1 }]);
    const reasons: string[] = [];
    socket.on('disconnected', (reason) => reasons.push(reason));
    socket.disconnect();
    expect(reasons).toEqual(['server disconnect']);
  });
});

describe('shared header values', () => {
  it('leaves every header of the handshake equal to what the client sent', async () => {
    const server = await startServer(cleanup);
    const headers = { origin: 'http://a.test', 'x-custom': 'one', authorization: 'Bearer t' };
    const a = cleanup.client(await TestClient.connect(server, { headers }));
    const b = cleanup.client(await TestClient.connect(server, { headers }));
    for (const id of [a.id, b.id]) {
      const hs = server.sockets.get(id)!.handshake;
      expect(hs.headers).toMatchObject(headers);
      expect(hs.headers.upgrade).toBe('websocket');
      expect(hs.headers['sec-websocket-key']).toEqual(expect.any(String));
    }
    const keyA = server.sockets.get(a.id)!.handshake.headers['sec-websocket-key'];
    expect(server.sockets.get(b.id)!.handshake.headers['sec-websocket-key']).not.toBe(keyA);
  });
});
