// Several real SmartSocket servers on one Redis, with real clients, closed after each test.
import { SmartSocketClient } from '@smartsocket/client';
import {
  type AdapterFactory,
  type ClusterAdapter,
  SmartSocket,
  type SmartSocketOptions,
} from '@smartsocket/server';
import { expect, vi } from 'vitest';
import { createRedisAdapter, type RedisAdapterOptions } from '../../src/index.js';

/** Short intervals so liveness tests run fast, generous enough for a loaded machine. */
export const fastLiveness = {
  heartbeatInterval: 100,
  heartbeatTimeout: 1000,
  requestsTimeout: 3000,
  roomLinger: 50,
} as const;

export type ServerExtra = SmartSocketOptions;

/** Servers and clients of one test; `close()` in afterEach. */
export class Fixture {
  readonly servers: SmartSocket[] = [];
  readonly clients: SmartSocketClient[] = [];

  constructor(readonly adapterOptions: () => RedisAdapterOptions) {}

  adapter(extra: Partial<RedisAdapterOptions> = {}): AdapterFactory {
    return createRedisAdapter({ ...fastLiveness, ...this.adapterOptions(), ...extra });
  }

  /** Starts `n` servers and waits until each sees all of them. */
  async start(n: number, extra: ServerExtra = {}): Promise<SmartSocket[]> {
    const started: SmartSocket[] = [];
    for (let i = 0; i < n; i++) {
      const server = new SmartSocket({
        port: 0,
        host: '127.0.0.1',
        adapter: this.adapter(),
        ...extra,
      });
      server.on('join', async (socket, room: string, ack?: (ok: boolean) => void) => {
        socket.join(room);
        await adapterOf(server).roomsReady();
        ack?.(true);
      });
      this.servers.push(server);
      started.push(server);
      await server.start();
    }
    await this.converge(started);
    return started;
  }

  async converge(servers: SmartSocket[], nsp = '/'): Promise<void> {
    await vi.waitFor(
      () => {
        // At least these servers: servers started elsewhere (child processes) may be known too.
        for (const s of servers)
          expect(adapterOf(s, nsp).serverCount()).toBeGreaterThanOrEqual(servers.length);
      },
      { timeout: 10_000, interval: 20 },
    );
  }

  async connect(
    server: SmartSocket,
    namespace = '/',
    options: ConstructorParameters<typeof SmartSocketClient>[1] = {},
  ): Promise<SmartSocketClient> {
    const path = namespace === '/' ? '' : namespace;
    const client = new SmartSocketClient(`ws://127.0.0.1:${server.port}${path}`, options);
    this.clients.push(client);
    await client.connect();
    return client;
  }

  /** Connects a client and waits until it is in `room` and the room is subscribed. */
  async connectInRoom(server: SmartSocket, room: string, options = {}): Promise<SmartSocketClient> {
    const client = await this.connect(server, '/', options);
    await client.emitWithAck('join', room);
    return client;
  }

  async close(): Promise<void> {
    for (const c of this.clients.splice(0)) c.disconnect();
    await Promise.all(this.servers.splice(0).map((s) => s.stop()));
  }
}

export function adapterOf(server: SmartSocket, nsp = '/'): ClusterAdapter {
  return server.namespace(nsp).adapter as ClusterAdapter;
}

/** Collects every `event` a client receives. */
export function collect(client: SmartSocketClient, event: string): unknown[] {
  const got: unknown[] = [];
  client.on(event, (data: unknown) => got.push(data));
  return got;
}

/** Resolves with the next `event` on `client`. */
export function next(client: SmartSocketClient, event: string): Promise<unknown> {
  return new Promise((resolve) => client.once(event, (data: unknown) => resolve(data)));
}
