// Bus channel names of the cluster adapter: per namespace, per node, per room.
import type { BroadcastOptions, Room } from './adapter.js';

/**
 * The channels of one namespace. Every node subscribes to the namespace channel (heartbeats,
 * requests, broadcasts to everyone or to several rooms) and to its own node channel (answers).
 * A node subscribes to a room channel only while it has local members of that room, so a
 * broadcast to one room reaches only the nodes with members. A socket id is a room too: a
 * unicast reaches only the socket's owner.
 *
 * @example
 * const ch = clusterChannels('smartsocket', '/chat');
 * ch.room('lobby'); // 'smartsocket#/chat#room#lobby#'
 */
export interface ClusterChannels {
  readonly namespace: string;
  node(nodeId: string): string;
  room(room: Room): string;
  /** Where a broadcast goes: the room channel when it targets exactly one room, else the namespace. */
  broadcast(opts: Pick<BroadcastOptions, 'rooms'>): string;
}

/** The channel names under `prefix` for namespace `nsp` (see {@link ClusterChannels}). */
export function clusterChannels(prefix: string, nsp: string): ClusterChannels {
  const namespace = `${prefix}#${nsp}#`;
  const room = (name: Room): string => `${namespace}room#${name}#`;
  return {
    namespace,
    node: (nodeId) => `${namespace}${nodeId}#`,
    room,
    broadcast(opts) {
      if (opts.rooms.size !== 1) return namespace;
      const [only] = opts.rooms;
      return room(only as Room);
    },
  };
}
