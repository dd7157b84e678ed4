// The server-side socket: one client in one namespace — events in, emits out, rooms, acks.
import {
  type Frame,
  FrameType,
  isErrorCode,
  isSmartSocketError,
  SmartSocketError,
} from '@smartsocket/protocol';
import { EventEmitter } from 'eventemitter3';
import { AckRegistry } from './ack-registry.js';
import type { AdapterSocket, BroadcastFlags, Room } from './adapter.js';
import { BroadcastOperator, DEFAULT_BROADCAST_ACK_TIMEOUT } from './broadcast-operator.js';
import type { BroadcastPacket } from './broadcast-packet.js';
import type { Connection } from './connection.js';
import type { Handshake } from './handshake.js';
import { runMiddleware } from './middleware.js';
import type { Namespace } from './namespace.js';
import type { RateLimitState, RateLimitVerdict } from './rate-limiter.js';
import type { ServerContext } from './server-context.js';
import type { TransportName } from './server-options.js';
import { type EmitFlags, SocketEmitter } from './socket-emitter.js';
import type {
  AckResponseOf,
  DefaultEventsMap,
  EventNames,
  EventParams,
  EventsMap,
} from './typed-events.js';

/** Event names a client may not use: they are the socket's own lifecycle events. */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  'connected',
  'connection',
  'disconnected',
  'disconnect',
  'error',
  'rate-limit',
]);

/** Default timeout of `emitWithAck` when none is given (ms). */
export const DEFAULT_ACK_TIMEOUT = 30_000;

/** Lifecycle listeners of a socket. */
export interface SocketReservedEvents {
  disconnected: (reason: string) => void;
  /** Alias of `disconnected`. */
  disconnect: (reason: string) => void;
}

/**
 * One client connected to one namespace. Handlers receive `(data, ack?)`.
 *
 * @example
 * server.on('connected', (socket) => {
 *   socket.join('lobby');
 *   socket.on('chat', (msg, ack) => { socket.to('lobby').emit('chat', msg); ack?.({ ok: true }); });
 * });
 */
export class Socket<
  Listen extends EventsMap = DefaultEventsMap,
  Emit extends EventsMap = DefaultEventsMap,
  Data = any,
> implements AdapterSocket
{
  /** User storage: put anything here (`socket.data.user = …`). */
  data: Data = {} as Data;
  /** Last heartbeat round trip in ms (from the client's reported `rtt` or the server's probe). */
  latency = 0;
  /** Whether this session was restored by connection state recovery. */
  readonly recovered = false;
  /** When true, every event but `auth` is rejected with `ERR_CONN_004` until `data.authenticated`. */
  requireAuth = false;
  #connected = true;
  readonly #listeners = new EventEmitter();
  readonly #acks = new AckRegistry();
  readonly #rate: RateLimitState | undefined;

  /** @internal sockets are created by the server */
  constructor(
    private readonly ctx: ServerContext,
    private readonly conn: Connection,
    /** The namespace this socket belongs to. */
    readonly nsp: Namespace<Listen, Emit>,
    /** The socket id (UUID v4); also the name of the room only this socket is in. */
    readonly id: string,
    /** What the client sent in CONNECT, plus request details. */
    readonly handshake: Handshake,
  ) {
    this.#rate = ctx.rateLimiter?.createState();
  }

  /** Whether the socket is still connected. */
  get connected(): boolean {
    return this.#connected;
  }

  /** The namespace this socket belongs to (alias of `nsp`). */
  get namespace(): Namespace<Listen, Emit> {
    return this.nsp;
  }

  /** The rooms this socket is in; always contains its own id while connected. */
  get rooms(): ReadonlySet<Room> {
    return this.nsp.adapter.socketRooms(this.id) ?? new Set();
  }

  /** `'websocket'` or `'polling'`. */
  get transport(): TransportName {
    return this.conn.transport.name;
  }

  /** Adds a handler for a client event (`(data, ack?)`) or for `disconnected`. */
  on<E extends EventNames<Listen>>(event: E, handler: Listen[E]): this;
  on<E extends keyof SocketReservedEvents>(event: E, handler: SocketReservedEvents[E]): this;
  on(event: string, handler: (...args: never[]) => void): this {
    this.#listeners.on(event, handler as (...args: unknown[]) => void);
    return this;
  }

  /** Like `on`, for one call. */
  once<E extends EventNames<Listen>>(event: E, handler: Listen[E]): this;
  once<E extends keyof SocketReservedEvents>(event: E, handler: SocketReservedEvents[E]): this;
  once(event: string, handler: (...args: never[]) => void): this {
    this.#listeners.once(event, handler as (...args: unknown[]) => void);
    return this;
  }

  /** Removes one handler, or every handler of `event`. */
  off(event: string, handler?: (...args: never[]) => void): this {
    this.#listeners.off(event, handler as ((...args: unknown[]) => void) | undefined);
    return this;
  }

  /**
   * Sends an event to this client. With `ack`, the client's response is passed to it (no
   * timeout; use `timeout(ms).emit` or `emitWithAck` for one). Returns false when not sent.
   */
  emit<E extends EventNames<Emit>>(event: E, ...args: EventParams<Emit, E>): boolean {
    return this._emit(event, args[0], args[1] as ((res: unknown) => void) | undefined, {});
  }

  /** Alias of `emit` (seed API). */
  send<E extends EventNames<Emit>>(event: E, ...args: EventParams<Emit, E>): boolean {
    return this.emit(event, ...args);
  }

  /**
   * Sends an event and resolves with the client's ack response; rejects with `ERR_ACK_001` after
   * `timeout` ms (default 30000) or `ERR_CONN_006` when the socket disconnects first.
   */
  emitWithAck<E extends EventNames<Emit>>(
    event: E,
    data?: Parameters<Emit[E]>[0],
    options: { timeout?: number; volatile?: boolean; compress?: boolean } = {},
  ): Promise<AckResponseOf<Emit[E]>> {
    return new Promise((resolve, reject) => {
      const flags = { ...options, timeout: options.timeout ?? DEFAULT_ACK_TIMEOUT };
      const sent = this._emit(
        event,
        data,
        (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res as never)),
        flags,
      );
      if (!sent) reject(new SmartSocketError('ERR_CONN_006', 'Socket is not connected'));
    });
  }

  /** An emitter whose acks time out after `ms` with `ERR_ACK_001`: `ack(err, response)`. */
  timeout(ms: number): SocketEmitter<Emit> {
    return new SocketEmitter(this as never, { timeout: ms });
  }

  /** An emitter whose frames are dropped rather than queued under backpressure. */
  get volatile(): SocketEmitter<Emit> {
    return new SocketEmitter(this as never, { volatile: true });
  }

  /** An emitter with compression forced off (`false`) or allowed (`true`, the default). */
  compress(compress: boolean): SocketEmitter<Emit> {
    return new SocketEmitter(this as never, { compress });
  }

  /** Joins one room or several. */
  join(rooms: Room | readonly Room[]): void {
    if (!this.#connected) return;
    void this.nsp.adapter.addAll(this.id, typeof rooms === 'string' ? [rooms] : rooms);
  }

  /** Leaves one room (or several). */
  leave(rooms: Room | readonly Room[]): void {
    for (const room of typeof rooms === 'string' ? [rooms] : rooms)
      void this.nsp.adapter.del(this.id, room);
  }

  /** Broadcast to `room` (and further `.to()`), excluding this socket. */
  to(room: Room | readonly Room[]): BroadcastOperator<Emit> {
    return this.broadcast.to(room);
  }

  /** Broadcast to everyone in the namespace but `room`'s members and this socket. */
  except(room: Room | readonly Room[]): BroadcastOperator<Emit> {
    return this.broadcast.except(room);
  }

  /** Broadcast to everyone in the namespace but this socket. */
  get broadcast(): BroadcastOperator<Emit> {
    return new BroadcastOperator<Emit>([this.nsp as never], new Set(), new Set([this.id]), {});
  }

  /**
   * Disconnects this client with DISCONNECT `{ reason: 'server disconnect', reconnect: false }`:
   * the client does not reconnect on its own.
   */
  disconnect(_close = true): this {
    if (!this.#connected) return this;
    this.conn.write(
      this.ctx.pipeline.encode(
        {
          type: FrameType.DISCONNECT,
          namespace: this.nsp.name,
          data: { reason: 'server disconnect', reconnect: false },
        },
        this.conn,
      ),
    );
    this.conn.close(1000, 'server disconnect');
    return this;
  }

  /** @internal Sends DISCONNECT `{ reason, reconnect: true }` and closes (server shutdown). */
  _shutdown(reason: string): void {
    this.conn.write(
      this.ctx.pipeline.encode(
        { type: FrameType.DISCONNECT, namespace: this.nsp.name, data: { reason, reconnect: true } },
        this.conn,
      ),
    );
    this.conn.close(1001, reason);
  }

  /** @internal AdapterSocket: queue a broadcast packet. */
  deliver(packet: BroadcastPacket, flags: BroadcastFlags): void {
    this.conn.write(
      this.ctx.pipeline.packetFor(packet, this.conn, flags.compress !== false),
      flags.volatile,
    );
  }

  /** @internal AdapterSocket: queue a broadcast packet that asks for an ack. */
  deliverWithAck(
    packet: BroadcastPacket,
    flags: BroadcastFlags,
    ack: (response: unknown) => void,
  ): boolean {
    if (packet.ackId === undefined)
      throw new SmartSocketError('ERR_ACK_002', 'Packet has no ack id');
    const sent = this.conn.write(
      this.ctx.pipeline.packetFor(packet, this.conn, flags.compress !== false),
      flags.volatile,
    );
    if (sent) {
      const timeout = flags.timeout ?? DEFAULT_BROADCAST_ACK_TIMEOUT;
      this.#acks.addBroadcast(packet.ackId, (err, res) => err || ack(res), Date.now() + timeout);
    }
    return sent;
  }

  /** @internal */
  _emit(
    event: string,
    data: unknown,
    ack: ((...args: never[]) => void) | undefined,
    flags: EmitFlags,
  ): boolean {
    if (!this.#connected) return false;
    let ackId: number | undefined;
    if (typeof ack === 'function') ackId = this.ctx.ackIds.next();
    const bytes = this.ctx.pipeline.encode(
      { type: FrameType.EVENT, namespace: this.nsp.name, event, ackId, data },
      this.conn,
      flags.compress !== false,
    );
    const sent = this.conn.write(bytes, flags.volatile === true);
    if (sent && ackId !== undefined) {
      const cb = ack as (...args: unknown[]) => void;
      if (flags.timeout === undefined)
        this.#acks.add(ackId, (err, res) => err || cb(res), undefined, false);
      else this.#acks.add(ackId, (err, res) => (err ? cb(err) : cb(null, res)), flags.timeout);
    }
    return sent;
  }

  /** @internal An EVENT frame from the client. */
  _onEvent(frame: Frame): void {
    const { ctx } = this;
    const { event, ackId } = frame;
    ctx.stats.messageIn(this.nsp.name, event, frame.aad.length + 4 + frame.data.length);
    if (this.#rate) {
      const verdict = ctx.rateLimiter!.consume(this.#rate, event);
      if (verdict) {
        this.#rateLimited(verdict, ackId);
        return;
      }
    }
    if (RESERVED_EVENTS.has(event)) {
      this.#reject(
        new SmartSocketError('ERR_MSG_001', `"${event}" is a reserved event name`),
        event,
        ackId,
      );
      return;
    }
    if (
      this.requireAuth &&
      event !== 'auth' &&
      (this.data as { authenticated?: unknown })?.authenticated !== true
    ) {
      this.#reject(new SmartSocketError('ERR_CONN_004', 'Authentication required'), event, ackId);
      return;
    }
    let data: unknown;
    try {
      data = ctx.pipeline.decodeData(frame, this.conn);
    } catch (err) {
      this.#reject(
        isSmartSocketError(err) ? err : new SmartSocketError('ERR_MSG_001'),
        event,
        ackId,
      );
      return;
    }
    const ack = ackId === undefined ? undefined : this.#ackFn(ackId);
    const chain = this.nsp._middlewareChain();
    if (chain.length === 0) {
      this.#dispatch(event, data, ack);
      return;
    }
    runMiddleware(chain, this as never, event, data, (err) => {
      if (!this.#connected) return;
      if (!err) return this.#dispatch(event, data, ack);
      const code = isErrorCode((err as { code?: unknown }).code)
        ? (err as SmartSocketError).code
        : 'ERR_MW_001';
      this.#reject(new SmartSocketError(code, err.message || undefined), event, ackId);
    });
  }

  /** @internal An ACK frame from the client. */
  _onAck(frame: Frame): void {
    let response: unknown;
    try {
      response = this.ctx.pipeline.decodeData(frame, this.conn);
    } catch (err) {
      this.conn.sendError(isSmartSocketError(err) ? err : new SmartSocketError('ERR_MSG_001'));
      return;
    }
    if (!this.#acks.resolve(frame.ackId!, response))
      this.ctx.logger.debug(
        `ERR_ACK_003: socket ${this.id} answered unknown ack id ${frame.ackId}`,
      );
  }

  /** @internal Drops expired broadcast-ack entries (shared sweep timer). */
  _pruneAcks(now: number): void {
    this.#acks.prune(now);
  }

  /** @internal Pending outgoing acks (tests, stats). */
  get _pendingAcks(): number {
    return this.#acks.size;
  }

  /** @internal The connection is gone. */
  _onClose(reason: string): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.#acks.clear();
    this.nsp._remove(this, reason);
    this.#listeners.emit('disconnected', reason);
    this.#listeners.emit('disconnect', reason);
    this.#listeners.removeAllListeners();
  }

  #ackFn(ackId: number): (response?: unknown) => void {
    let done = false;
    return (response?: unknown) => {
      if (done || !this.#connected) return;
      done = true;
      this.conn.write(
        this.ctx.pipeline.encode(
          { type: FrameType.ACK, namespace: this.nsp.name, ackId, data: response },
          this.conn,
        ),
      );
    };
  }

  #dispatch(event: string, data: unknown, ack: ((res?: unknown) => void) | undefined): void {
    const { ctx } = this;
    const call = (fn: () => unknown): void => {
      try {
        const r = fn() as Promise<unknown> | undefined;
        if (r && typeof r.then === 'function') r.then(undefined, (e) => ctx.reportError(e));
      } catch (err) {
        ctx.reportError(err);
      }
    };
    for (const fn of this.#listeners.listeners(event)) call(() => fn(data, ack));
    for (const fn of this.nsp._handlers(event)) call(() => fn(this, data, ack));
    for (const fn of ctx.messageListeners) call(() => fn(this as never, event, data));
  }

  #reject(err: SmartSocketError, event: string, ackId: number | undefined): void {
    this.ctx.logger.debug(`Rejected "${event}" from ${this.id}: ${err.code}`);
    const full = new SmartSocketError(err.code, err.message, {
      event,
      ...(ackId === undefined ? {} : { ackId }),
      ...(err.retryAfter === undefined ? {} : { retryAfter: err.retryAfter }),
    });
    this.conn.sendError(full);
  }

  #rateLimited(verdict: RateLimitVerdict, ackId: number | undefined): void {
    const { code, retryAfter, event } = verdict;
    const err = new SmartSocketError(code, undefined, { retryAfter });
    this.#reject(err, event, ackId);
    this._emit(
      '__rate-limited__',
      { message: err.message, retryAfter, code, event },
      undefined,
      {},
    );
    const info = { event, code, retryAfter };
    this.ctx.emitLifecycle('rate-limit', this as never, info);
    this.nsp._emitLifecycle('rate-limit', this as never, info);
  }
}
