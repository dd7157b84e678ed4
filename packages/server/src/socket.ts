// The server-side socket: one client in one namespace — events in, emits out, rooms, acks.
import {
  AppEmitter,
  callApp,
  checkAckOptions,
  checkEmitArgs,
  encodeMessage,
  type Frame,
  FrameType,
  isSmartSocketError,
  type MessageInit,
  SmartSocketError,
} from '@smartsocket/protocol';
import { AckRegistry } from './ack-registry.js';
import type { AdapterSocket, BroadcastFlags, Room } from './adapter.js';
import { BroadcastOperator } from './broadcast-operator.js';
import { type BroadcastPacket, sequencedPacket } from './broadcast-packet.js';
import { EventIntake } from './event-intake.js';
import type { Handshake } from './handshake.js';
import type { Namespace } from './namespace.js';
import type { ServerContext } from './server-context.js';
import type { TransportName } from './server-options.js';
import { type EmitFlags, SocketEmitter } from './socket-emitter.js';
import type { SocketLink } from './socket-link.js';
import type { SocketRecovery } from './socket-recovery.js';
import { BROADCAST_POSITION } from './stream-log.js';
import { CloseCode } from './transport.js';
import type {
  AckResponseOf,
  DefaultEventsMap,
  EventNames,
  EventParams,
  EventsMap,
} from './typed-events.js';

/** The default of the server's `messageTimeout` option (ms): how long socket acks are awaited. */
export const DEFAULT_ACK_TIMEOUT = 30_000;

/** `#data` before the first read or write of `socket.data`. */
const UNSET: unique symbol = Symbol('unset');

/** Lifecycle listeners of a socket. */
export interface SocketReservedEvents {
  disconnected: (reason: string) => void;
  /** The socket's buffer is back under a quarter of `maxBufferedBytes` after `emit` returned false. */
  drain: () => void;
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
  /** Last heartbeat round trip in ms (from the client's reported `rtt` or the server's probe). */
  latency = 0;
  /** Whether this session was restored by connection state recovery (its last reconnection). */
  recovered = false;
  /** When true, every event but `auth` is rejected with `ERR_CONN_004` until `data.authenticated`. */
  requireAuth = false;
  #connected = true;
  /**
   * @internal Sequencing and the replay log of a recoverable socket (`enableMessageCache` and a
   * client that negotiated sequencing); undefined otherwise.
   */
  _recovery: SocketRecovery | undefined;
  /** Whether the link dropped and the session waits for its client to recover it. */
  #detached = false;
  #dropReason = '';
  /** Whether `emit` returned false for a full buffer and `drain` is owed. */
  #drainOwed = false;
  // Created on first use: an idle socket never needs them (see "Performance notes" in the README).
  #data: Data | typeof UNSET = UNSET;
  #listeners: AppEmitter | undefined;
  #acks: AckRegistry | undefined;
  #intake: EventIntake | undefined;

  /** @internal sockets are created by the server */
  constructor(
    private readonly ctx: ServerContext,
    private conn: SocketLink,
    /** The namespace this socket belongs to. */
    readonly nsp: Namespace<Listen, Emit>,
    /** The socket id (UUID v4); also the name of the room only this socket is in. */
    readonly id: string,
    /** What the client sent in CONNECT, plus request details (the latest, after a recovery). */
    public handshake: Handshake,
  ) {}

  /** User storage: put anything here (`socket.data.user = …`). */
  get data(): Data {
    if (this.#data === UNSET) this.#data = {} as Data;
    return this.#data;
  }

  set data(value: Data) {
    this.#data = value;
  }

  /** Whether the socket is connected (false while a dropped session waits for recovery). */
  get connected(): boolean {
    return this.#connected && !this.#detached;
  }

  /** The namespace this socket belongs to (alias of `nsp`). */
  get namespace(): Namespace<Listen, Emit> {
    return this.nsp;
  }

  /** The rooms this socket is in; always contains its own id while connected. */
  get rooms(): ReadonlySet<Room> {
    return this.nsp.adapter.socketRooms(this.id) ?? new Set();
  }

  /** Bytes queued for this client and not yet written to the network. */
  get bufferedAmount(): number {
    return this.conn.queue.pendingBytes;
  }

  /** `'websocket'` or `'polling'`. */
  get transport(): TransportName {
    return this.conn.transport.name;
  }

  /** Adds a handler for a client event (`(data, ack?)`) or for `disconnected`. */
  on<E extends EventNames<Listen>>(event: E, handler: Listen[E]): this;
  on<E extends keyof SocketReservedEvents>(event: E, handler: SocketReservedEvents[E]): this;
  on(event: string, handler: (...args: never[]) => void): this {
    (this.#listeners ??= new AppEmitter()).on(event, handler);
    return this;
  }

  /** Like `on`, for one call. */
  once<E extends EventNames<Listen>>(event: E, handler: Listen[E]): this;
  once<E extends keyof SocketReservedEvents>(event: E, handler: SocketReservedEvents[E]): this;
  once(event: string, handler: (...args: never[]) => void): this {
    (this.#listeners ??= new AppEmitter()).once(event, handler);
    return this;
  }

  /** Removes one handler, or every handler of `event`. */
  off(event: string, handler?: (...args: never[]) => void): this {
    this.#listeners?.off(event, handler);
    return this;
  }

  /**
   * Sends an event to this client. With `ack`, the client's response is passed to it; an ack
   * not answered within `messageTimeout` ms is forgotten (the callback is never called; use
   * `timeout(ms).emit` or `emitWithAck` to hear about it). Returns false when not sent, or
   * when the socket's buffer is past half of `maxBufferedBytes` (as `stream.write` does): then
   * `drain` fires once it is back under a quarter.
   *
   * @example
   * const pump = () => { while (chunks.length) if (!socket.emit('chunk', chunks.shift())) return; };
   * socket.on('drain', pump);
   */
  emit<E extends EventNames<Emit>>(event: E, ...args: EventParams<Emit, E>): boolean {
    checkEmitArgs(event, args);
    const sent = this._emit(event, args[0], args[1] as ((res: unknown) => void) | undefined, {});
    return sent && this._hasRoom();
  }

  /** @internal Whether the buffer is within half the bound; if not, `drain` is owed. */
  _hasRoom(): boolean {
    if (this.conn.queue.pendingBytes <= this.ctx.opts.maxBufferedBytes >> 1) return true;
    this.#drainOwed = true;
    return false;
  }

  /** @internal The transport wrote out what it held: `drain` if owed and under a quarter. */
  _drained(): void {
    if (!this.#drainOwed || !this.#connected) return;
    if (this.conn.queue.pendingBytes > this.ctx.opts.maxBufferedBytes >> 2) return;
    this.#drainOwed = false;
    this.#listeners?.emit(this.ctx.reportError, 'drain');
  }

  /** @internal A queued frame that waited for ack `ackId` was discarded under backpressure. */
  _ackDropped(ackId: number): void {
    this.#acks?.fail(
      ackId,
      new SmartSocketError('ERR_CONN_006', 'Message dropped: the socket is past maxBufferedBytes', {
        ackId,
      }),
    );
  }

  /** Alias of `emit` (seed API). */
  send<E extends EventNames<Emit>>(event: E, ...args: EventParams<Emit, E>): boolean {
    return this.emit(event, ...args);
  }

  /**
   * Sends an event and resolves with the client's ack response; rejects with `ERR_ACK_001` after
   * `timeout` ms (default: the server's `messageTimeout`) or `ERR_CONN_006` when the socket
   * disconnects first.
   */
  emitWithAck<E extends EventNames<Emit>>(
    event: E,
    data?: Parameters<Emit[E]>[0],
    options: { timeout?: number; volatile?: boolean; compress?: boolean } = {},
  ): Promise<AckResponseOf<Emit[E]>> {
    checkAckOptions(event, options);
    return new Promise((resolve, reject) => {
      const flags = { ...options, timeout: options.timeout ?? this.ctx.opts.messageTimeout };
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
    this.nsp._adapterCall((a) => a.addAll(this.id, typeof rooms === 'string' ? [rooms] : rooms));
  }

  /** Leaves one room (or several). */
  leave(rooms: Room | readonly Room[]): void {
    for (const room of typeof rooms === 'string' ? [rooms] : rooms)
      this.nsp._adapterCall((a) => a.del(this.id, room));
  }

  /** Broadcast to `room` (and further `.to()`), excluding this socket. */
  to(room: Room | readonly Room[]): BroadcastOperator<Emit, Socket> {
    return this.broadcast.to(room);
  }

  /** Broadcast to everyone in the namespace but `room`'s members and this socket. */
  except(room: Room | readonly Room[]): BroadcastOperator<Emit, Socket> {
    return this.broadcast.except(room);
  }

  /** Broadcast to everyone in the namespace but this socket. */
  get broadcast(): BroadcastOperator<Emit, Socket> {
    return new BroadcastOperator<Emit, Socket>(
      [this.nsp as never],
      new Set(),
      new Set([this.id]),
      {},
    );
  }

  /**
   * Disconnects this client with DISCONNECT `{ reason: 'server disconnect', reconnect: false }`:
   * the client does not reconnect on its own.
   */
  disconnect(_close = true): this {
    if (!this.#connected) return this;
    if (this.#detached) {
      this._onClose('server disconnect');
      return this;
    }
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
    this.conn.close(CloseCode.NORMAL, 'server disconnect');
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
    this.conn.close(CloseCode.GOING_AWAY, reason);
  }

  /** @internal AdapterSocket: queue a broadcast packet. */
  deliver(packet: BroadcastPacket, flags: BroadcastFlags): void {
    const p = this.#logBroadcast(packet, flags);
    if (p === undefined) return;
    this.#writeShared(p, flags);
  }

  /** Writes a broadcast packet's bytes for this peer's group, with their wire-form cache. */
  #writeShared(packet: BroadcastPacket, flags: BroadcastFlags, ackId?: number): boolean {
    const shared = this.ctx.pipeline.sharedFor(packet, this.conn, flags.compress !== false);
    return this.conn.write(shared.bytes, flags.volatile, ackId, shared.wire);
  }

  /**
   * The packet to write for a broadcast: for a recoverable socket the namespace-positioned one,
   * logged (and nothing to write while detached); undefined when there is nothing to write.
   */
  #logBroadcast(packet: BroadcastPacket, flags: BroadcastFlags): BroadcastPacket | undefined {
    const recovery = this._recovery;
    if (recovery === undefined || flags.volatile) return this.#detached ? undefined : packet;
    const positioned = sequencedPacket(packet, this.nsp._nextPosition);
    recovery.log.add(positioned, BROADCAST_POSITION | positioned.position!);
    return this.#detached ? undefined : positioned;
  }

  /** @internal AdapterSocket: queue a broadcast packet that asks for an ack. */
  deliverWithAck(
    packet: BroadcastPacket,
    flags: BroadcastFlags,
    ack: (response: unknown) => void,
  ): boolean {
    if (packet.ackId === undefined)
      throw new SmartSocketError('ERR_ACK_002', 'Packet has no ack id');
    const p = this.#logBroadcast(packet, flags);
    const sent =
      p === undefined
        ? this.#detached && this._recovery !== undefined && !flags.volatile
        : this.#writeShared(p, flags, packet.ackId);
    if (sent) {
      const timeout = flags.timeout ?? this.ctx.opts.messageTimeout;
      (this.#acks ??= new AckRegistry()).addBroadcast(
        packet.ackId,
        // Only a frame discarded under backpressure fails here: its coded error is this
        // recipient's response, so the broadcast does not wait for it until the timeout.
        (err, res) => ack(err ?? res),
        Date.now() + timeout,
      );
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
    if (!this._alive) return false;
    const volatile = flags.volatile === true;
    if (this.#detached && (volatile || this._recovery === undefined)) return false;
    let ackId: number | undefined;
    if (typeof ack === 'function') ackId = this.ctx.ackIds.next();
    const msg: MessageInit = {
      type: FrameType.EVENT,
      namespace: this.nsp.name,
      event,
      ackId,
      data,
    };
    const sent = volatile
      ? this.conn.write(this.ctx.pipeline.encode(msg, this.conn, flags.compress !== false), true)
      : this.#sendLogged(msg, flags.compress !== false, ackId);
    if (sent && ackId !== undefined) {
      const cb = ack as (...args: unknown[]) => unknown;
      const report = this.ctx.reportError;
      const acks = (this.#acks ??= new AckRegistry());
      // No timer per emit: the shared sweep drops the entry after messageTimeout, unanswered.
      if (flags.timeout === undefined)
        acks.addBroadcast(
          ackId,
          (err, res) => err || callApp(report, cb, res),
          Date.now() + this.ctx.opts.messageTimeout,
        );
      else
        acks.add(
          ackId,
          (err, res) => (err ? callApp(report, cb, err) : callApp(report, cb, null, res)),
          flags.timeout,
        );
    }
    return sent;
  }

  /**
   * Sends a non-volatile EVENT or ACK: for a recoverable socket with the next unicast position,
   * logged as its plain frame (and only logged while detached: the replay sends it).
   */
  #sendLogged(msg: MessageInit, compress: boolean, ackId?: number): boolean {
    const recovery = this._recovery;
    if (recovery === undefined)
      return this.conn.write(this.ctx.pipeline.encode(msg, this.conn, compress), false, ackId);
    const position = ++recovery.lastUnicast;
    const plain = encodeMessage({ ...msg, seq: position });
    recovery.log.add(plain, position);
    if (this.#detached) return true;
    return this.conn.write(this.ctx.pipeline.fromPlain(plain, this.conn, compress), false, ackId);
  }

  /** @internal Answers the client's event `ackId` (logged for replay on a recoverable socket). */
  _sendAck(ackId: number, response: unknown): void {
    this.#sendLogged(
      { type: FrameType.ACK, namespace: this.nsp.name, ackId, data: response },
      true,
    );
  }

  /** @internal Connected, or detached and waiting for its client to recover the session. */
  get _alive(): boolean {
    return this.#connected;
  }

  /** @internal Whether the link dropped and the session waits for recovery. */
  get _detached(): boolean {
    return this.#detached;
  }

  /** @internal The connection the socket writes to now. */
  get _conn(): SocketLink {
    return this.conn;
  }

  /**
   * @internal The link dropped unexpectedly and the session is kept for recovery: the socket
   * stays in its rooms and logs what is sent to it; pending acks wait for the replay.
   */
  _detach(reason: string): void {
    this.#detached = true;
    this.#dropReason = reason;
    this.#intake = undefined;
  }

  /**
   * @internal The kept session was not recovered (TTL, refused, server stop): it ends now. With
   * `token`, only if that still names it (an expired entry of an older token is ignored).
   */
  _expire(token?: string): void {
    if (token !== undefined && !(this.#detached && this._recovery?.tokens().includes(token))) {
      // A server stop ends live sessions too; an old token's entry of a live one is ignored.
      if (this._recovery?.tokens().includes(token)) this._onClose('server shutting down');
      return;
    }
    this._onClose(this.#dropReason);
  }

  /**
   * @internal The client recovered the session on `conn`: the missed packets go out first, in
   * order, re-sealed for the new session; then it is live again.
   */
  _reattach(
    conn: SocketLink,
    missed: ReadonlyArray<readonly [Uint8Array | BroadcastPacket, number]>,
  ): void {
    this.conn = conn;
    this.#detached = false;
    this.recovered = true;
    for (const [packet] of missed)
      conn.replay(
        packet instanceof Uint8Array
          ? this.ctx.pipeline.fromPlain(packet, conn)
          : this.ctx.pipeline.packetForSession(packet, conn),
      );
  }

  /** @internal Whether `on`/`once` added a handler for `event`. */
  _hasListeners(event: string): boolean {
    return (this.#listeners?.listenerCount(event) ?? 0) > 0;
  }

  /** @internal Runs the handlers added with `on`/`once`: `(data, ack?)`; failures go to `sink`. */
  _dispatch(
    sink: (err: unknown) => void,
    event: string,
    data: unknown,
    ack: ((response?: unknown) => void) | undefined,
  ): void {
    this.#listeners?.emit(sink, event, data, ack);
  }

  /** @internal An EVENT frame from the client. */
  _onEvent(frame: Frame): void {
    (this.#intake ??= new EventIntake(this.ctx, this, this.conn)).onEvent(frame);
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
    if (!this.#acks?.resolve(frame.ackId!, response))
      this.ctx.logger.debug(
        `ERR_ACK_003: socket ${this.id} answered unknown ack id ${frame.ackId}`,
      );
  }

  /** @internal Drops expired broadcast-ack entries (shared sweep timer). */
  _pruneAcks(now: number): void {
    this.#acks?.prune(now);
  }

  /** @internal Pending outgoing acks (tests, stats). */
  get _pendingAcks(): number {
    return this.#acks?.size ?? 0;
  }

  /** @internal The connection is gone (for good: not kept for recovery). */
  _onClose(reason: string): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.#detached = false;
    if (this._recovery) {
      for (const token of this._recovery.tokens()) this.ctx.recoverable?.delete(token);
      this._recovery.log.clear();
      this._recovery = undefined;
    }
    // Every app callback below goes through callApp: none of them can skip what follows.
    this.#acks?.clear();
    this.nsp._remove(this, reason);
    const listeners = this.#listeners;
    if (!listeners) return;
    listeners.emit(this.ctx.reportError, 'disconnected', reason);
    listeners.emit(this.ctx.reportError, 'disconnect', reason);
    listeners.removeAll();
  }
}
