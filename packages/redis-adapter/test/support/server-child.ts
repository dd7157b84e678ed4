// A SmartSocket server on Redis in its own process, for tests that SIGKILL it or read its /proc io.
// Env: REDIS_URL, LIVENESS (JSON of adapter options). Prints one JSON line `{ "port": n }` when ready.
import { createRedisAdapter } from '@smartsocket/redis-adapter';
import { SmartSocket } from '@smartsocket/server';

const server = new SmartSocket({
  port: 0,
  host: '127.0.0.1',
  adapter: createRedisAdapter({
    url: process.env.REDIS_URL as string,
    ...JSON.parse(process.env.LIVENESS ?? '{}'),
  }),
});
server.on('join', async (socket, room: string, ack?: (ok: boolean) => void) => {
  socket.join(room);
  await (server.namespace('/').adapter as unknown as { roomsReady(): Promise<void> }).roomsReady();
  ack?.(true);
});
await server.start();
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.on('SIGTERM', () => {
  void server.stop().then(() => process.exit(0));
});
