// The broadcast operators shared by the server (every namespace) and a namespace (its sockets).
import type { Room } from './adapter.js';
import type { BroadcastOperator } from './broadcast-operator.js';
import type { RemoteSocket } from './remote-socket.js';
import type { AckResponseOf, BroadcastAckParams, EventNames, EventsMap } from './typed-events.js';

/**
 * Base of `SmartSocket` and `Namespace`: each operator starts a fresh, immutable
 * `BroadcastOperator` over the subclass's recipients.
 */
export abstract class BroadcastTarget<Emit extends EventsMap, S> {
  /** A new operator addressing every socket this target covers. */
  protected abstract _operator(): BroadcastOperator<Emit, S>;

  /** Sends to every socket (with an ack callback: a broadcast with acks, see `timeout`). */
  emit<E extends EventNames<Emit>>(event: E, ...args: BroadcastAckParams<Emit[E]>): boolean {
    return this._operator().emit(event, ...args);
  }

  /** Broadcasts and resolves with every recipient's ack. */
  emitWithAck<E extends EventNames<Emit>>(
    event: E,
    data?: Parameters<Emit[E]>[0],
    ...extra: never[]
  ): Promise<AckResponseOf<Emit[E]>[]> {
    return this._operator().emitWithAck(event, data, ...extra);
  }

  /** Targets a room or socket id. */
  to(room: Room | readonly Room[]): BroadcastOperator<Emit, S> {
    return this._operator().to(room);
  }

  /** Alias of `to`. */
  in(room: Room | readonly Room[]): BroadcastOperator<Emit, S> {
    return this._operator().to(room);
  }

  /** Excludes a room or socket id. */
  except(room: Room | readonly Room[]): BroadcastOperator<Emit, S> {
    return this._operator().except(room);
  }

  /** Dropped rather than queued for sockets under backpressure. */
  get volatile(): BroadcastOperator<Emit, S> {
    return this._operator().volatile;
  }

  /** `compress(false)` sends uncompressed whatever the size. */
  compress(compress: boolean): BroadcastOperator<Emit, S> {
    return this._operator().compress(compress);
  }

  /** Ack timeout of a broadcast with acks. */
  timeout(ms: number): BroadcastOperator<Emit, S> {
    return this._operator().timeout(ms);
  }

  /** This server only (not the other nodes of a cluster). */
  get local(): BroadcastOperator<Emit, S> {
    return this._operator().local;
  }

  /** Every socket covered, on every node (local `Socket`s and other nodes' `RemoteSocket`s). */
  fetchSockets(): Promise<(S | RemoteSocket)[]> {
    return this._operator().fetchSockets();
  }

  /** Makes every socket covered join `rooms`. */
  socketsJoin(rooms: Room | readonly Room[]): void {
    this._operator().socketsJoin(rooms);
  }

  /** Makes every socket covered leave `rooms`. */
  socketsLeave(rooms: Room | readonly Room[]): void {
    this._operator().socketsLeave(rooms);
  }

  /** Disconnects every socket covered (`close`: also close the underlying connection). */
  disconnectSockets(close = false): void {
    this._operator().disconnectSockets(close);
  }
}
