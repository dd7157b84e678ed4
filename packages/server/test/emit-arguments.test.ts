// One payload per event: Socket.IO-style `emit('chat', a, b)` is a TypeError that names the fix,
// on a socket, its emitters, broadcast operators, namespaces and the server.
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { Cleanup, once, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const FIX = /emit\('chat', \{ a, b \}\)/;

describe('several emit arguments', () => {
  it('throw a TypeError everywhere an event is emitted, and one payload still works', async () => {
    const server = await startServer(cleanup);
    const connected = once<[Socket]>(server, 'connected');
    const client = cleanup.client(await TestClient.connect(server));
    const [socket] = await connected;
    const emits: [string, () => unknown][] = [
      ['socket.emit', () => (socket.emit as any)('chat', 'a', 'b')],
      ['socket.timeout().emit', () => (socket.timeout(100).emit as any)('chat', 'a', 'b')],
      ['socket.broadcast', () => (socket.broadcast.emit as any)('chat', 'a', 'b')],
      ['server.emit', () => (server.emit as any)('chat', 'a', 'b')],
      ['server.to().emit', () => (server.to('r').emit as any)('chat', 'a', 'b')],
      ['namespace.emit', () => (server.namespace('/').emit as any)('chat', 'a', 'b')],
      ['with an ack last', () => (socket.emit as any)('chat', 'a', 'b', () => {})],
      ['server.emitWithAck', () => (server.emitWithAck as any)('chat', 'a', 'b')],
      ['server.to().emitWithAck', () => (server.to('r').emitWithAck as any)('chat', 'a', 'b')],
    ];
    for (const [name, emit] of emits) {
      expect(emit, name).toThrow(TypeError);
      expect(emit, name).toThrow(FIX);
    }
    expect(() => (socket.emitWithAck as any)('chat', 'a', 'b')).toThrow(
      /emitWithAck\('chat', \{ a, b \}\)/,
    );
    const [remote] = await server.fetchSockets();
    expect(() => (remote!.emit as any)('chat', 'a', 'b')).toThrow(FIX);
    socket.emit('chat', { a: 'a', b: 'b' });
    expect((await client.nextEvent('chat')).data).toEqual({ a: 'a', b: 'b' });
  });
});
