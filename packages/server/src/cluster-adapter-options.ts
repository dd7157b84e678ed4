// Options of the cluster adapter: one interface, one defaults object, validated once.
import { createLogger, type Logger } from '@smartsocket/logger';
import { SmartSocketError } from '@smartsocket/protocol';

/** Options of {@link ClusterAdapter} and {@link createClusterAdapter}. */
export interface ClusterAdapterOptions {
  /**
   * Prefix of the bus channels: `{prefix}#{namespace}#` for requests to every node,
   * `{prefix}#{namespace}#{nodeId}#` for answers to one node and
   * `{prefix}#{namespace}#room#{room}#` for broadcasts to one room.
   * @default 'smartsocket'
   */
  channelPrefix?: string;
  /**
   * Ms a room channel stays subscribed (at least; at most twice) after the room's last local
   * member left, so join/leave churn does not turn into SUBSCRIBE/UNSUBSCRIBE traffic.
   * @default 1000
   */
  roomLinger?: number;
  /** Ms between two log lines about the same kind of bus failure. @default 5000 */
  errorLogInterval?: number;
  /** Ms to wait for the other nodes' answers to `fetchSockets`/`serverSideEmit`. @default 5000 */
  requestTimeout?: number;
  /** Ms between heartbeats a node publishes while it has nothing else to publish. @default 5000 */
  heartbeatInterval?: number;
  /** Ms of silence after which another node counts as gone. @default 10000 */
  heartbeatTimeout?: number;
  /** Close the transport when the last adapter using it closes (the server stopped). @default true */
  closeTransport?: boolean;
  /** Where bus errors are logged. @default createLogger('cluster') */
  logger?: Logger;
}

/**
 * Defaults of {@link ClusterAdapterOptions}.
 *
 * @example
 * createClusterAdapter(transport, { heartbeatInterval: clusterAdapterDefaults.heartbeatInterval / 5 });
 */
export const clusterAdapterDefaults = {
  channelPrefix: 'smartsocket',
  requestTimeout: 5000,
  heartbeatInterval: 5000,
  heartbeatTimeout: 10_000,
  roomLinger: 1000,
  errorLogInterval: 5000,
  closeTransport: true,
} as const;

/** Options after defaults and validation. */
export type ResolvedClusterOptions = Required<Omit<ClusterAdapterOptions, 'logger'>> & {
  logger: Logger;
};

/**
 * Merges the defaults and validates; throws `ERR_CONFIG_001` naming the bad option.
 *
 * @example
 * resolveClusterOptions({ requestTimeout: 0 }); // throws ERR_CONFIG_001 (requestTimeout)
 */
export function resolveClusterOptions(user: ClusterAdapterOptions): ResolvedClusterOptions {
  const o = { ...clusterAdapterDefaults, ...user };
  for (const name of ['requestTimeout', 'heartbeatInterval', 'heartbeatTimeout'] as const) {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      throw new SmartSocketError('ERR_CONFIG_001', `${name} must be a positive number of ms`);
  }
  for (const name of ['roomLinger', 'errorLogInterval'] as const) {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new SmartSocketError('ERR_CONFIG_001', `${name} must be a number of ms ≥ 0`);
  }
  if (typeof o.channelPrefix !== 'string' || o.channelPrefix === '')
    throw new SmartSocketError('ERR_CONFIG_001', 'channelPrefix must be a non-empty string');
  return { ...o, logger: user.logger ?? createLogger('cluster') };
}
