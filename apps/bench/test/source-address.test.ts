// The client adapters connect from the requested loopback source address.
import { SmartSocket } from '@smartsocket/server';
import { Server as SocketIoServer } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { connectSmartSocketClient } from '../src/impls/smartsocket-client.js';
import { connectSocketIoClient } from '../src/impls/socketio-client.js';
import type { BenchClient } from '../src/impls/types.js';
import { HOST, PLAIN } from '../src/impls/types.js';
import { connectWsClient } from '../src/impls/ws-client.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function keep(client: BenchClient): BenchClient {
  cleanups.push(() => client.close());
  return client;
}

describe('source address', () => {
  it('raw ws', async () => {
    const wss = new WebSocketServer({ host: HOST, port: 0 });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    await new Promise((r) => wss.once('listening', r));
    const seen = new Promise<string | undefined>((r) =>
      wss.once('connection', (_ws, req) => r(req.socket.remoteAddress)),
    );
    const { port } = wss.address() as { port: number };
    keep(await connectWsClient(port, PLAIN, { localAddress: '127.0.0.3' }));
    expect(await seen).toBe('127.0.0.3');
  });

  it('SmartSocket (the real client over a bound ws)', async () => {
    const addresses: string[] = [];
    const server = new SmartSocket({
      port: 0,
      host: HOST,
      transports: ['websocket'],
      enableMetrics: false,
      authenticate: (handshake: { address: string }) => {
        addresses.push(handshake.address);
        return true;
      },
    });
    server.on('error', () => {});
    await server.start();
    cleanups.push(() => server.stop());
    keep(await connectSmartSocketClient(server.port, PLAIN, { localAddress: '127.0.0.4' }));
    keep(await connectSmartSocketClient(server.port, PLAIN, { localAddress: '127.0.0.5' }));
    expect(addresses.map((a) => a.replace(/^::ffff:/, ''))).toEqual(['127.0.0.4', '127.0.0.5']);
  });

  it('Socket.IO', async () => {
    const io = new SocketIoServer({ transports: ['websocket'] });
    const http = (await import('node:http')).createServer();
    io.attach(http);
    await new Promise<void>((r) => http.listen(0, HOST, r));
    cleanups.push(() => new Promise<void>((r) => io.close(() => r())));
    const seen = new Promise<string>((r) => io.once('connection', (s) => r(s.handshake.address)));
    const { port } = http.address() as { port: number };
    keep(await connectSocketIoClient(port, PLAIN, { localAddress: '127.0.0.6' }));
    expect((await seen).replace(/^::ffff:/, '')).toBe('127.0.0.6');
  });
});
