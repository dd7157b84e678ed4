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
  const http = createServer();
  const io = new Server(http, {
    transports: [variant.polling ? 'polling' : 'websocket'],
    serveClient: false,
    perMessageDeflate: variant.compression ? { threshold: 1024 } : false,
  });
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
    close: () =>
      new Promise<void>((resolve) => {
        io.disconnectSockets(true);
        io.close(() => resolve());
      }),
  };
}
