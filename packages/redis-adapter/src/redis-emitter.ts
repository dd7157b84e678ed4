// createRedisEmitter: emit to namespaces, rooms and socket ids from a process without a server.

import { SmartSocketError } from '@smartsocket/protocol';
import {
  type BroadcastFlags,
  ClusterMessageType,
  clusterChannels,
  createBroadcastPacket,
  EMITTER_NODE_ID,
  encodeEnvelope,
  encodeOptions,
} from '@smartsocket/server';
import { type RedisConnectionOptions, resolveRedisOptions } from './redis-options.js';
import { RedisTransport } from './redis-transport.js';

/** Options of {@link createRedisEmitter}. */
export interface RedisEmitterOptions extends RedisConnectionOptions {
  /** Ms `emit` waits for Redis to be reachable before it rejects with `ERR_CLUSTER_001`. @default 5000 */
  connectTimeout?: number;
}

/** An immutable broadcast target: chain operators, then `emit`. */
export interface RedisEmitter {
  /** The same emitter for namespace `name` (default `'/'`). */
  of(name: string): RedisEmitter;
  /** Targets sockets in `room` (a socket id is a room); chained calls add rooms. */
  to(room: string | readonly string[]): RedisEmitter;
  /** Alias of `to`. */
  in(room: string | readonly string[]): RedisEmitter;
  /** Leaves out sockets in `room`. */
  except(room: string | readonly string[]): RedisEmitter;
  /** Dropped for a recipient under backpressure instead of queued. */
  readonly volatile: RedisEmitter;
  /** `compress(false)`: never compress this message. */
  compress(compress: boolean): RedisEmitter;
  /** Publishes `event` with `data`; resolves once Redis took it. */
  emit(event: string, data?: unknown): Promise<void>;
  /** Closes the Redis connections the emitter opened. */
  close(): Promise<void>;
}

interface Target {
  nsp: string;
  rooms: ReadonlySet<string>;
  except: ReadonlySet<string>;
  flags: BroadcastFlags;
}

const toList = (r: string | readonly string[]): readonly string[] =>
  typeof r === 'string' ? [r] : r;

/**
 * An emitter for workers, cron jobs and scripts: messages reach the clients of every server on
 * the same Redis (same `keyPrefix`), encoded once here, as if a server had broadcast them. It is
 * not a server: it is never counted by `serverCount()` and takes no acks.
 *
 * @example
 * const emitter = createRedisEmitter({ url: 'redis://127.0.0.1:6379' });
 * await emitter.of('/quiz').to('room-1').except(bannedId).emit('question', { n: 3 });
 * await emitter.close();
 */
export function createRedisEmitter(options: RedisEmitterOptions): RedisEmitter {
  const { connectTimeout = 5000, ...connection } = options;
  if (typeof connectTimeout !== 'number' || !Number.isFinite(connectTimeout) || connectTimeout <= 0)
    throw new SmartSocketError('ERR_CONFIG_001', 'connectTimeout must be a positive number of ms');
  const o = resolveRedisOptions(connection);
  const transport = new RedisTransport({
    source: o.source,
    sharded: o.sharded,
    library: o.library,
    logger: o.logger,
    errorLogInterval: o.errorLogInterval,
  });

  const make = (t: Target): RedisEmitter => ({
    of: (name) => {
      if (typeof name !== 'string' || !name.startsWith('/'))
        throw new SmartSocketError(
          'ERR_MSG_005',
          `Namespace must start with "/", got ${String(name)}`,
        );
      return make({ ...t, nsp: name });
    },
    to: (room) => make({ ...t, rooms: new Set([...t.rooms, ...toList(room)]) }),
    in: (room) => make({ ...t, rooms: new Set([...t.rooms, ...toList(room)]) }),
    except: (room) => make({ ...t, except: new Set([...t.except, ...toList(room)]) }),
    get volatile() {
      return make({ ...t, flags: { ...t.flags, volatile: true } });
    },
    compress: (compress) => make({ ...t, flags: { ...t.flags, compress } }),
    async emit(event, data) {
      const packet = createBroadcastPacket(t.nsp, event, data);
      const opts = { rooms: t.rooms, except: t.except, flags: t.flags };
      const bytes = encodeEnvelope(
        ClusterMessageType.BROADCAST,
        EMITTER_NODE_ID,
        0,
        { o: encodeOptions(opts) },
        packet.frame,
      );
      await transport.whenConnected(connectTimeout);
      await transport.publish(clusterChannels(o.keyPrefix, t.nsp).broadcast(opts), bytes);
    },
    close: () => transport.close(),
  });
  return make({ nsp: '/', rooms: new Set(), except: new Set(), flags: {} });
}
