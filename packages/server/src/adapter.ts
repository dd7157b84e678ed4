// The adapter seam: room membership of one namespace and broadcast delivery (in-memory default).
import type { BroadcastPacket } from './broadcast-packet.js';
import { withAckId } from './broadcast-packet.js';
import type { Handshake } from './handshake.js';

/** A room name. Every socket is also in the room named after its id. */
export type Room = string;
/** A socket id (UUID v4). */
export type SocketId = string;

/** Per-broadcast flags set by the broadcast operators. */
export interface BroadcastFlags {
  /** `.volatile`: drop for a recipient under backpressure (or offline) instead of queueing. */
  volatile?: boolean;
  /** `.compress(false)`: never compress this packet. Default: compress when it pays. */
  compress?: boolean;
  /** `.local`: deliver on this node only; cluster adapters must not publish it. */
  local?: boolean;
  /** `.timeout(ms)`: ack timeout of a broadcast with acks (handled by the caller). */
  timeout?: number;
}

/**
 * Who a broadcast or a bulk operation targets: sockets in ANY of `rooms` (all sockets of the
 * namespace when `rooms` is empty), minus sockets in ANY of `except`.
 */
export interface BroadcastOptions {
  rooms: ReadonlySet<Room>;
  except?: ReadonlySet<Room>;
  flags?: BroadcastFlags;
}

/** A socket as the adapter sees it (implemented by the server's `Socket`). */
export interface AdapterSocket {
  readonly id: SocketId;
  readonly handshake: Handshake;
  readonly data: unknown;
  /** Queues `packet` (the variant that fits this socket) on the socket's single send path. */
  deliver(packet: BroadcastPacket, flags: BroadcastFlags): void;
  /**
   * Delivers `packet` (which carries `packet.ackId`, see {@link withAckId}) and registers `ack`
   * for that id on this socket. Returns false when the packet was not queued (volatile under
   * backpressure, or the socket is closing): no response will come, so it must not be counted.
   * `ack` is called at most once, with the client's response; never when the socket goes away
   * (the broadcaster's timeout covers that).
   */
  deliverWithAck(
    packet: BroadcastPacket,
    flags: BroadcastFlags,
    ack: (response: unknown) => void,
  ): boolean;
  /** Joins rooms (through the adapter). */
  join(rooms: Room | readonly Room[]): void;
  /** Leaves a room (through the adapter). */
  leave(room: Room): void;
  /** Disconnects the socket; `close` also closes the underlying transport connection. */
  disconnect(close?: boolean): void;
}

/** What an adapter needs from the namespace it serves. */
export interface AdapterNamespace {
  /** Namespace name, e.g. `'/chat'`. */
  readonly name: string;
  /** Connected sockets of this namespace on this node. */
  readonly sockets: ReadonlyMap<SocketId, AdapterSocket>;
  /** Allocates an outgoing ack id, unique on this server (so one frame serves all recipients). */
  nextAckId(): number;
  /**
   * Runs the handlers registered with `namespace.onServerSideEmit(event, …)` for an emit that
   * came from ANOTHER node. `ack`, when given, receives this node's single response.
   */
  receiveServerSideEmit(event: string, args: unknown[], ack?: (response: unknown) => void): void;
}

/** A socket's plain description, as returned by `fetchSockets()` (may describe a remote socket). */
export interface SocketDescriptor {
  id: SocketId;
  handshake: Handshake;
  rooms: Room[];
  data: unknown;
}

/** Callback of a server-side emit with ack: the responses of every other node. */
export type ServerSideAck = (err: Error | null, responses: unknown[]) => void;

/** Builds the adapter of one namespace: the `adapter` server option. */
export type AdapterFactory = (namespace: AdapterNamespace) => Adapter;

/**
 * Room membership and broadcast delivery for ONE namespace. The server only talks to this class;
 * `InMemoryAdapter` (this class as is) serves a single node; `ClusterAdapter extends Adapter`
 * adds the other nodes: each operation runs locally through `super` and is published to the
 * other nodes, which run the same local operation (with `flags.local` the publish is skipped).
 *
 * Contract for subclasses:
 * - `addAll`/`del`/`delAll` may return a Promise; the server does not wait for it.
 * - `broadcast` must deliver `packet` (already encoded, never re-encode the value) to every
 *   targeted local socket via `AdapterSocket.deliver`.
 * - `broadcastWithAck` calls `clientCountCallback(n)` ONCE PER NODE with the number of that
 *   node's recipients (this base class: once, synchronously, for the local node), and `ack(r)` once
 *   per response from any node. The caller knows it is complete when it got `serverCount()` counts
 *   and as many responses as the counts add up to, or when its timeout fires. A cluster adapter
 *   forwards remote counts and remote responses to these same two callbacks.
 */
export class Adapter {
  /** room → socket ids */
  readonly rooms = new Map<Room, Set<SocketId>>();
  /** socket id → rooms */
  readonly sids = new Map<SocketId, Set<Room>>();

  constructor(readonly nsp: AdapterNamespace) {}

  /** Called once when the namespace is created (e.g. to subscribe to channels). */
  init(): void | Promise<void> {}

  /** Called when the server stops: release subscriptions, timers, handles. */
  close(): void | Promise<void> {}

  /** Number of nodes, this one included (1 for the in-memory adapter). */
  serverCount(): number {
    return 1;
  }

  /** Adds socket `id` to `rooms`. */
  addAll(id: SocketId, rooms: Iterable<Room>): void | Promise<void> {
    let mine = this.sids.get(id);
    if (!mine) this.sids.set(id, (mine = new Set()));
    for (const room of rooms) {
      mine.add(room);
      let members = this.rooms.get(room);
      if (!members) this.rooms.set(room, (members = new Set()));
      members.add(id);
    }
  }

  /** Removes socket `id` from `room`; an empty room is deleted. */
  del(id: SocketId, room: Room): void | Promise<void> {
    this.sids.get(id)?.delete(room);
    this.removeFromRoom(id, room);
  }

  /** Removes socket `id` from every room (it disconnected). */
  delAll(id: SocketId): void | Promise<void> {
    const mine = this.sids.get(id);
    if (!mine) return;
    for (const room of mine) this.removeFromRoom(id, room);
    this.sids.delete(id);
  }

  /** The rooms socket `id` is in (undefined when unknown on this node). */
  socketRooms(id: SocketId): ReadonlySet<Room> | undefined {
    return this.sids.get(id);
  }

  /** Delivers `packet` to every targeted local socket (see {@link BroadcastOptions}). */
  broadcast(packet: BroadcastPacket, opts: BroadcastOptions): void {
    const flags = opts.flags ?? {};
    this.apply(opts, (socket) => socket.deliver(packet, flags));
  }

  /**
   * Delivers `packet` asking each recipient for an ack. The frame with the ack id is built once.
   * See the class comment for the callback contract.
   */
  broadcastWithAck(
    packet: BroadcastPacket,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: (response: unknown) => void,
  ): void {
    const flags = opts.flags ?? {};
    const acked = withAckId(packet, this.nsp.nextAckId());
    let count = 0;
    // Responses cannot arrive before this returns (they come from the network), so counting
    // after delivery is safe, and leaves out recipients whose frame was dropped.
    this.apply(opts, (socket) => {
      if (socket.deliverWithAck(acked, flags, ack)) count++;
    });
    clientCountCallback(count);
  }

  /** Ids of the local sockets in any of `rooms` (all local sockets when empty). */
  sockets(rooms: ReadonlySet<Room>): Promise<Set<SocketId>> {
    const ids = new Set<SocketId>();
    this.apply({ rooms }, (socket) => ids.add(socket.id));
    return Promise.resolve(ids);
  }

  /** Descriptions of the targeted sockets (a cluster adapter adds the other nodes' sockets). */
  fetchSockets(opts: BroadcastOptions): Promise<SocketDescriptor[]> {
    const out: SocketDescriptor[] = [];
    this.apply(opts, (socket) =>
      out.push({
        id: socket.id,
        handshake: socket.handshake,
        rooms: [...(this.sids.get(socket.id) ?? [])],
        data: socket.data,
      }),
    );
    return Promise.resolve(out);
  }

  /** Makes the targeted sockets join `rooms`. */
  addSockets(opts: BroadcastOptions, rooms: readonly Room[]): void {
    this.apply(opts, (socket) => socket.join(rooms));
  }

  /** Makes the targeted sockets leave `rooms`. */
  delSockets(opts: BroadcastOptions, rooms: readonly Room[]): void {
    this.apply(opts, (socket) => {
      for (const room of rooms) socket.leave(room);
    });
  }

  /** Disconnects the targeted sockets (`close`: also close the transport connection). */
  disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    this.apply(opts, (socket) => socket.disconnect(close));
  }

  /**
   * Sends `event` with `args` to the OTHER nodes' namespaces (`namespace.onServerSideEmit`).
   * With `ack`, it gets every other node's response (or an error on timeout). A single node has
   * no peers: the in-memory adapter answers `ack(null, [])` at once.
   */
  serverSideEmit(_event: string, _args: unknown[], ack?: ServerSideAck): void {
    ack?.(null, []);
  }

  /** Calls `fn` for every local socket targeted by `opts`, each at most once. */
  protected apply(
    opts: Pick<BroadcastOptions, 'rooms' | 'except'>,
    fn: (socket: AdapterSocket) => void,
  ): void {
    const sockets = this.nsp.sockets;
    if (opts.rooms.size === 0 && (opts.except === undefined || opts.except.size === 0)) {
      // Everyone: no id set to build or consult per socket.
      for (const socket of sockets.values()) fn(socket);
      return;
    }
    const except = this.computeExceptSids(opts.except);
    if (opts.rooms.size === 0) {
      for (const [id, socket] of sockets) if (!except.has(id)) fn(socket);
      return;
    }
    const seen = new Set<SocketId>();
    for (const room of opts.rooms) {
      const members = this.rooms.get(room);
      if (!members) continue;
      for (const id of members) {
        if (seen.has(id) || except.has(id)) continue;
        seen.add(id);
        const socket = sockets.get(id);
        if (socket) fn(socket);
      }
    }
  }

  /** The ids of the local sockets in any of `except`. */
  protected computeExceptSids(except: ReadonlySet<Room> | undefined): Set<SocketId> {
    const out = new Set<SocketId>();
    if (!except) return out;
    for (const room of except) {
      const members = this.rooms.get(room);
      if (members) for (const id of members) out.add(id);
    }
    return out;
  }

  private removeFromRoom(id: SocketId, room: Room): void {
    const members = this.rooms.get(room);
    if (!members) return;
    members.delete(id);
    if (members.size === 0) this.rooms.delete(room);
  }
}

/**
 * The default adapter: everything in this process.
 *
 * @example
 * new SmartSocket({ adapter: (nsp) => new InMemoryAdapter(nsp) });
 */
export class InMemoryAdapter extends Adapter {}
