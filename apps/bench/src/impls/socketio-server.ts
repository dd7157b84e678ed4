// Socket.IO 4.8 server, one transport (WebSocket, or long-polling in that variant; no upgrade), defaults otherwise.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { type BenchServer, EVENTS, HOST, type ServerHooks, type Variant } from './types.js';

/** Starts a Socket.IO server on 127.0.0.1, port 0. */
export async function startSocketIoServer(
  hooks: ServerHooks,
  variant: Variant,
): Promise<BenchServer> {
  const redisClients: Array<{ disconnect(): void }> = [];
  const http = createServer();
  const io = new Server(http, {
    transports: [variant.polling ? 'polling' : 'websocket'],
    serveClient: false,
    perMessageDeflate: variant.compression ? { threshold: 1024 } : false,
  });
  if (variant.redisUrl) {
    // The classic @socket.io/redis-adapter: every server receives and decodes every broadcast.
    const [{ createAdapter }, { Redis }] = await Promise.all([
      import('@socket.io/redis-adapter'),
      import('ioredis'),
    ]);
    const pub = new Redis(variant.redisUrl);
    const sub = pub.duplicate();
    io.adapter(createAdapter(pub, sub));
    redisClients.push(pub, sub);
  }
  io.on('connection', (socket) => {
    hooks.onConnection();
    socket.on('disconnect', () => hooks.onDisconnect());
    socket.on(EVENTS.echo, (data: unknown) => {
      hooks.onEcho();
      socket.emit(EVENTS.echo, data);
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, HOST, resolve);
  });
  return {
    port: (http.address() as AddressInfo).port,
    broadcast: (event, data) => void io.emit(event, data),
    broadcastTo: (room, event, data) => void io.to(room).emit(event, data),
    joinLocal: async (room) => io.local.socketsJoin(room),
    close: () =>
      new Promise<void>((resolve) => {
        io.disconnectSockets(true);
        io.close(() => {
          for (const c of redisClients) c.disconnect();
          resolve();
        });
      }),
  };
}
