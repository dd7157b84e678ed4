// The seed-compatible room API: room(), rooms, removeRoom, broadcast, onConnection, onMessage, send.
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('seed room API', () => {
  it('works as the original README shows', async () => {
    const server = await startServer(cleanup);
    const sockets: Socket[] = [];
    const messages: [string, unknown][] = [];
    server.onConnection((socket) => {
      sockets.push(socket);
      socket.join('chat');
      socket.on('message', (data) =>
        server.room('chat').broadcast('message', { ...(data as object), from: socket.id }),
      );
    });
    server.onMessage((_socket, event, data) => messages.push([event, data]));
    const a = cleanup.client(await TestClient.connect(server));
    const b = cleanup.client(await TestClient.connect(server));
    expect(server.room('chat').socketCount()).toBe(2);
    expect(
      server
        .room('chat')
        .sockets.map((s) => s.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect([...server.rooms.keys()]).toEqual(['chat']);
    a.emit('message', { text: 'hi' });
    expect((await b.nextEvent('message')).data).toEqual({ text: 'hi', from: a.id });
    expect(messages).toEqual([['message', { text: 'hi' }]]);
    sockets[0]!.send('direct', 1);
    expect((await a.nextEvent('direct')).data).toBe(1);
    server.broadcast('all', 2);
    await Promise.all([a.nextEvent('all'), b.nextEvent('all')]);
    expect(server.removeRoom('chat')).toBe(true);
    expect(server.rooms.size).toBe(0);
    expect(server.room('chat').socketCount()).toBe(0);
  });
});
