// Broadcast operators: to / except / volatile / compress / timeout / local, immutable and chainable.
import { callApp, checkEmitArgs, SmartSocketError } from '@smartsocket/protocol';
import type { BroadcastFlags, BroadcastOptions, Room } from './adapter.js';
import { createBroadcastPacket } from './broadcast-packet.js';
import type { BroadcastScope } from './broadcast-scope.js';
import { RemoteSocket } from './remote-socket.js';
import type {
  AckResponseOf,
  BroadcastAckParams,
  DefaultEventsMap,
  EventNames,
  EventsMap,
} from './typed-events.js';

/** Default timeout (ms) of a broadcast with acks without `.timeout(ms)`: the default `messageTimeout`. */
export const DEFAULT_BROADCAST_ACK_TIMEOUT = 30_000;

type AnyNamespace = BroadcastScope<unknown>;

function toList(rooms: Room | readonly Room[]): readonly Room[] {
  return typeof rooms === 'string' ? [rooms] : rooms;
}

/**
 * A broadcast target. Every operator returns a NEW operator, so a saved one can be reused.
 * Targets the sockets in ANY of the `to` rooms (every socket when none), minus those in ANY
 * `except` room, in one namespace (or, from the server, in every namespace).
 *
 * @example
 * server.to('room1').to('room2').except('muted').emit('news', { title: 'hi' });
 * server.timeout(1000).emit('poll', null, (err, responses) => { … });
 */
/**
 * `S`: the type of the local sockets `fetchSockets()` returns (`Socket` from a server, a
 * namespace or a socket).
 */
export class BroadcastOperator<Emit extends EventsMap = DefaultEventsMap, S = unknown> {
  constructor(
    private readonly namespaces: readonly AnyNamespace[] | (() => readonly AnyNamespace[]),
    private readonly rooms: ReadonlySet<Room> = new Set(),
    private readonly exceptRooms: ReadonlySet<Room> = new Set(),
    private readonly flags: Readonly<BroadcastFlags> = {},
  ) {}

  /** Targets `room` too (union with earlier `to` rooms). */
  to(room: Room | readonly Room[]): BroadcastOperator<Emit, S> {
    const rooms = new Set(this.rooms);
    for (const r of toList(room)) rooms.add(r);
    return new BroadcastOperator(this.namespaces, rooms, this.exceptRooms, this.flags);
  }

  /** Alias of `to`. */
  in(room: Room | readonly Room[]): BroadcastOperator<Emit, S> {
    return this.to(room);
  }

  /** Excludes the members of `room`. */
  except(room: Room | readonly Room[]): BroadcastOperator<Emit, S> {
    const except = new Set(this.exceptRooms);
    for (const r of toList(room)) except.add(r);
    return new BroadcastOperator(this.namespaces, this.rooms, except, this.flags);
  }

  /** Drops the packet for recipients under backpressure instead of queueing it. */
  get volatile(): BroadcastOperator<Emit, S> {
    return this.#with({ volatile: true });
  }

  /** `compress(false)` never compresses this packet. */
  compress(compress: boolean): BroadcastOperator<Emit, S> {
    return this.#with({ compress });
  }

  /** Acks of this broadcast time out after `ms` (`ERR_ACK_001` with the responses so far). */
  timeout(ms: number): BroadcastOperator<Emit, S> {
    if (!Number.isFinite(ms) || ms < 0)
      throw new SmartSocketError(
        'ERR_CONFIG_001',
        `timeout must be a non-negative number, got ${ms}`,
      );
    return this.#with({ timeout: ms });
  }

  /** This server only (no other cluster nodes). */
  get local(): BroadcastOperator<Emit, S> {
    return this.#with({ local: true });
  }

  /**
   * Sends `event` to every targeted socket; the packet is encoded once. With an ack callback,
   * it is called once with `(err, responses)` when every recipient answered, or with
   * `ERR_ACK_001` and the responses so far when the timeout fires; zero recipients → at once.
   */
  emit<E extends EventNames<Emit>>(event: E, ...args: BroadcastAckParams<Emit[E]>): boolean {
    checkEmitArgs(event, args);
    const [data, ack] = args as [
      unknown,
      ((err: Error | null, res: unknown[]) => void) | undefined,
    ];
    const namespaces = this.#namespaces();
    if (typeof ack !== 'function') {
      for (const nsp of namespaces)
        nsp.adapter.broadcast(createBroadcastPacket(nsp.name, event, data), this.#options());
      return true;
    }
    this.#emitWithAcks(namespaces, event, data, ack);
    return true;
  }

  /** Like `emit` with an ack; resolves with every response, rejects with `ERR_ACK_001`. */
  emitWithAck<E extends EventNames<Emit>>(
    event: E,
    data?: Parameters<Emit[E]>[0],
    ...extra: never[]
  ): Promise<AckResponseOf<Emit[E]>[]> {
    // A value after the payload (Socket.IO style) would be dropped silently: refuse it.
    if (extra.length > 0) checkEmitArgs(event, [data, ...extra]);
    return new Promise((resolve, reject) => {
      this.#emitWithAcks(this.#namespaces(), event, data, (err, res) =>
        err ? reject(err) : resolve(res as never),
      );
    });
  }

  /** The targeted sockets (local `Socket`s, or `RemoteSocket`s for other nodes). */
  async fetchSockets(): Promise<(S | RemoteSocket)[]> {
    const out: (S | RemoteSocket)[] = [];
    for (const nsp of this.#namespaces()) {
      for (const d of await nsp.adapter.fetchSockets(this.#options())) {
        out.push((nsp.sockets.get(d.id) as S | undefined) ?? new RemoteSocket(nsp, d));
      }
    }
    return out;
  }

  /** Makes the targeted sockets join `rooms`. */
  socketsJoin(rooms: Room | readonly Room[]): void {
    for (const nsp of this.#namespaces()) nsp.adapter.addSockets(this.#options(), toList(rooms));
  }

  /** Makes the targeted sockets leave `rooms`. */
  socketsLeave(rooms: Room | readonly Room[]): void {
    for (const nsp of this.#namespaces()) nsp.adapter.delSockets(this.#options(), toList(rooms));
  }

  /** Disconnects the targeted sockets (they do not reconnect on their own). */
  disconnectSockets(close = false): void {
    for (const nsp of this.#namespaces()) nsp.adapter.disconnectSockets(this.#options(), close);
  }

  #emitWithAcks(
    namespaces: readonly AnyNamespace[],
    event: string,
    data: unknown,
    ack: (err: Error | null, responses: unknown[]) => void,
  ): void {
    const opts = this.#options();
    let expectedNodes = 0;
    for (const nsp of namespaces) expectedNodes += this.flags.local ? 1 : nsp.adapter.serverCount();
    let reported = 0;
    let expected = 0;
    let done = false;
    const responses: unknown[] = [];
    // The ack is app code, called from a timer or a client's ACK: report what it throws.
    const sink = (e: unknown): void => {
      if (namespaces[0]) namespaces[0]._reportError(e);
      else throw e;
    };
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      callApp(sink, ack, err, responses);
    };
    const check = (): void => {
      if (reported >= expectedNodes && responses.length >= expected) finish(null);
    };
    const timer = setTimeout(
      () => finish(new SmartSocketError('ERR_ACK_001', 'Acknowledgment timeout', { event })),
      this.flags.timeout ?? namespaces[0]?._messageTimeout ?? DEFAULT_BROADCAST_ACK_TIMEOUT,
    );
    // A pending broadcast must not keep the process alive once the server is gone.
    timer.unref?.();
    if (namespaces.length === 0) {
      finish(null);
      return;
    }
    for (const nsp of namespaces) {
      nsp.adapter.broadcastWithAck(
        createBroadcastPacket(nsp.name, event, data),
        opts,
        (count) => {
          reported++;
          expected += count;
          check();
        },
        (response) => {
          if (done) return;
          responses.push(response);
          check();
        },
      );
    }
  }

  #namespaces(): readonly AnyNamespace[] {
    return typeof this.namespaces === 'function' ? this.namespaces() : this.namespaces;
  }

  #options(): BroadcastOptions {
    return { rooms: this.rooms, except: this.exceptRooms, flags: this.flags };
  }

  #with(flags: BroadcastFlags): BroadcastOperator<Emit, S> {
    return new BroadcastOperator(this.namespaces, this.rooms, this.exceptRooms, {
      ...this.flags,
      ...flags,
    });
  }
}
