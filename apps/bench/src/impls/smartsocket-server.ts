// SmartSocket server adapter, written against the public API of `@smartsocket/server`.
import {
  BENCH_KEY,
  type BenchServer,
  EVENTS,
  HOST,
  type ServerHooks,
  type Variant,
} from './types.js';

/** The slice of the server API the bench uses. */
interface SpecSocket {
  emit(event: string, data?: unknown): void;
}
interface SpecServer {
  readonly port: number;
  readonly local: { socketsJoin(room: string): void };
  to(room: string): { emit(event: string, data?: unknown): unknown };
  namespace(name: string): { adapter: { roomsReady?(): Promise<void> } };
  start(): Promise<void>;
  stop(): Promise<void>;
  on(event: string, handler: (...args: any[]) => void): unknown;
  emit(event: string, data?: unknown): unknown;
}
type SpecServerCtor = new (options: Record<string, unknown>) => SpecServer;

// A variable specifier keeps the harness loadable (and type-checkable) while the package is incomplete:
// a broken SmartSocket fails its own trials only.
const SERVER_PACKAGE = '@smartsocket/server';
const REDIS_PACKAGE = '@smartsocket/redis-adapter';
const CLUSTER_PACKAGE = '@smartsocket/server/cluster';

type RedisAdapterFactory = (options: { url: string }) => unknown;

/** Starts a SmartSocket server on 127.0.0.1, port 0, one transport (WebSocket unless polling), rate limiting off. */
export async function startSmartSocketServer(
  hooks: ServerHooks,
  variant: Variant,
): Promise<BenchServer> {
  const mod = (await import(SERVER_PACKAGE)) as { SmartSocket: SpecServerCtor };
  const adapter = variant.redisUrl
    ? (
        (await import(REDIS_PACKAGE)) as { createRedisAdapter: RedisAdapterFactory }
      ).createRedisAdapter({ url: variant.redisUrl })
    : variant.nodeCluster
      ? (
          (await import(CLUSTER_PACKAGE)) as { createNodeClusterAdapter(): unknown }
        ).createNodeClusterAdapter()
      : undefined;
  const server = new mod.SmartSocket({
    port: 0,
    host: HOST,
    transports: [variant.polling ? 'polling' : 'websocket'],
    // The default (100 events per minute per client) would throttle the echo load.
    enableRateLimiting: false,
    // Socket.IO and ws run without an HTTP stats endpoint as well.
    enableMetrics: false,
    // The default cap (10,000) would refuse most of the idle scenario's connections.
    maxConnections: 1_000_000,
    // Off like Socket.IO's and ws's permessage-deflate, except in the compressed scenario.
    enableCompression: variant.compression,
    compressionThreshold: 1024,
    ...(variant.encryption ? { enableEncryption: true, encryptionKey: BENCH_KEY } : {}),
    ...(adapter ? { adapter } : {}),
    ...(variant.recovery ? { enableMessageCache: true } : {}),
  });
  server.on('connected', () => hooks.onConnection());
  server.on('disconnected', () => hooks.onDisconnect());
  server.on('error', () => {});
  server.on(EVENTS.echo, (socket: SpecSocket, data: unknown) => {
    hooks.onEcho();
    socket.emit(EVENTS.echo, data);
  });
  await server.start();
  return {
    port: server.port,
    broadcast: (event, data) => void server.emit(event, data),
    broadcastTo: (room, event, data) => void server.to(room).emit(event, data),
    async joinLocal(room) {
      server.local.socketsJoin(room);
      // The room channel is subscribed on Redis before the first broadcast.
      await server.namespace('/').adapter.roomsReady?.();
    },
    close: () => server.stop(),
  };
}
