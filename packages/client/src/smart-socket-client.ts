// The SmartSocket client: connection lifecycle, reconnection, offline queue, acks and events.

import { createLogger, type Logger } from '@smartsocket/logger';
import { type Frame, FrameType, SmartSocketError } from '@smartsocket/protocol';
import { EventEmitter } from 'eventemitter3';
import { AckRegistry, type AckSettler, type PendingAck } from './ack-registry.js';
import { Connection, type ConnectionEnd } from './connection.js';
import { resolveEndpoint } from './endpoint.js';
import { connectRequest, type HandshakeAnswer } from './handshake.js';
import { OfflineQueue } from './offline-queue.js';
import { type ClientOptions, type ResolvedClientOptions, resolveOptions } from './options.js';
import { mayRetry, reconnectDelay } from './reconnect-policy.js';
import {
  dataSectionLength,
  decodeIncoming,
  encodeOutgoing,
  type SectionCodec,
} from './section-codec.js';
import { systemTimers, type TimerProvider } from './timers.js';
import type { TransportName, WebSocketConstructor } from './transport.js';
import { createTransport, usableTransports } from './transport-factory.js';
import type {
  AckCallback,
  AckResponse,
  ClientReservedEvents,
  DefaultEventsMap,
  EmitArgs,
  EventData,
  EventNames,
  EventsMap,
  EventsWithAck,
  ListenerOf,
  ReservedEventName,
} from './typed-events.js';

/** An emit waiting in the offline queue. */
interface QueuedEmit {
  event: string;
  data: unknown;
  ack: PendingAck | undefined;
}

type State = 'idle' | 'connecting' | 'connected' | 'waiting';

const RESERVED: ReadonlySet<string> = new Set<ReservedEventName>([
  'connected',
  'disconnected',
  'reconnecting',
  'reconnected',
  'max-reconnect-attempts-reached',
  'error',
  '__rate-limited__',
]);

/**
 * A SmartSocket client (platform-neutral core; the package entries pick the default WebSocket).
 * `L` types the events the server sends, `E` the events this client emits.
 */
export class SmartSocketClientBase<
  L extends EventsMap = DefaultEventsMap,
  E extends EventsMap = DefaultEventsMap,
> {
  /** Free storage for the application; the client never touches it. */
  data: Record<string, unknown> = {};
  /** Namespace this client joins. */
  readonly namespace: string;
  /** WebSocket URL of the endpoint. */
  readonly url: string;
  private readonly opts: ResolvedClientOptions;
  private readonly emitter = new EventEmitter();
  private readonly logger: Logger;
  private readonly timers: TimerProvider;
  private readonly acks: AckRegistry;
  private readonly queue: OfflineQueue<QueuedEmit>;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly transports: TransportName[];
  private readonly codec: SectionCodec | undefined = undefined;
  private state: State = 'idle';
  private conn: Connection | undefined;
  private answer: HandshakeAnswer | undefined;
  private retry = 0;
  private reconnectTimer: unknown;
  private manual = false;
  private pending:
    | { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void }
    | undefined;

  /**
   * @example
   * const client = new SmartSocketClient('ws://localhost:3000', { namespace: '/chat' });
   * await client.connect();
   */
  constructor(url: string, options: ClientOptions = {}, defaultWebSocket?: WebSocketConstructor) {
    this.opts = resolveOptions(options);
    const endpoint = resolveEndpoint(url, this.opts);
    this.url = endpoint.url;
    this.namespace = endpoint.namespace;
    this.transports = usableTransports(this.opts.transports);
    const ws = this.opts.WebSocket ?? defaultWebSocket;
    if (typeof ws !== 'function')
      throw new SmartSocketError(
        'ERR_CONFIG_001',
        'Invalid option "WebSocket": no WebSocket implementation available',
      );
    this.WebSocketImpl = ws;
    if (this.opts.enableEncryption)
      throw new SmartSocketError(
        'ERR_CONFIG_001',
        'Invalid option "enableEncryption": not supported by this client version yet',
      );
    this.logger = this.opts.logger ?? createLogger('client');
    this.timers = this.opts.timers ?? systemTimers;
    this.acks = new AckRegistry(this.timers);
    this.queue = new OfflineQueue<QueuedEmit>({
      size: this.opts.queueSize,
      maxAge: this.opts.queueMaxAge,
      now: () => this.timers.now(),
      onDrop: (item, why) => {
        this.logger.debug(`Offline queue: "${item.event}" dropped (${why})`);
        if (item.ack)
          this.failSoon(
            item.ack,
            new SmartSocketError('ERR_CONN_006', `Dropped from the offline queue (${why})`),
          );
      },
    });
  }

  /** True while the session is established. */
  get connected(): boolean {
    return this.state === 'connected';
  }

  /** Socket id given by the server (UUID v4); undefined before the first connection. */
  get id(): string | undefined {
    return this.answer?.id;
  }

  /** The transport in use (or last used). */
  get transport(): TransportName | undefined {
    return this.conn || this.answer ? this.transports[0] : undefined;
  }

  /** Last heartbeat round trip in ms. */
  get latency(): number | undefined {
    return this.conn?.rtt;
  }

  /** True when the server restored the previous session on the last (re)connection. */
  get recovered(): boolean {
    return this.answer?.recovered === true;
  }

  /**
   * Connects and resolves once the server has answered CONNECT. Failed attempts are retried
   * under the reconnection policy; rejects with the last `SmartSocketError` when giving up or
   * at once on `ERR_CONN_004` (and `ERR_MSG_005`).
   */
  connect(): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    if (this.pending) return this.pending.promise;
    this.manual = false;
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.pending = { promise, resolve, reject };
    if (this.state === 'idle') {
      this.retry = 0;
      this.open();
    }
    return promise;
  }

  /** Leaves the server; no automatic reconnection follows. Pending acks fail with `ERR_CONN_006`. */
  disconnect(): this {
    this.manual = true;
    this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.conn?.close('client disconnect');
    this.conn = undefined;
    this.state = 'idle';
    this.retry = 0;
    this.acks.failAll(new SmartSocketError('ERR_CONN_006', 'Client disconnected'));
    this.queue.clear();
    this.settle(
      new SmartSocketError('ERR_CONN_006', 'Disconnected before the connection was established'),
    );
    return this;
  }

  /**
   * Sends `event` with `data`; with a callback, the server's ack response (or `{ error, code }`)
   * reaches it. While disconnected the emit waits in the offline queue.
   *
   * @example
   * client.emit('save', doc, (res) => console.log(res));
   */
  emit<Ev extends EventNames<E>>(event: Ev, ...args: EmitArgs<E[Ev]>): this {
    this.emitWith(event, args as unknown[], false);
    return this;
  }

  /**
   * Sends `event` and resolves with the server's ack response; rejects with a
   * `SmartSocketError` (`ERR_ACK_001` on timeout, the server's code on rejection).
   *
   * @example
   * const res = await client.emitWithAck('save', doc, { timeout: 5000 });
   */
  emitWithAck<Ev extends EventsWithAck<E>>(
    event: Ev,
    data: EventData<E[Ev]>,
    options: { timeout?: number } = {},
  ): Promise<AckResponse<E[Ev]>> {
    return new Promise((resolve, reject) => {
      if (!this.opts.enableAcknowledgments) {
        reject(
          new SmartSocketError(
            'ERR_ACK_002',
            'Acknowledgments are disabled (enableAcknowledgments: false)',
          ),
        );
        return;
      }
      const settle: AckSettler = (err, res) =>
        err ? reject(err) : resolve(res as AckResponse<E[Ev]>);
      this.send(event, data, settle, false, options.timeout);
    });
  }

  /** Emits that are dropped instead of queued when the client is not connected. */
  get volatile(): {
    emit<Ev extends EventNames<E>>(
      event: Ev,
      ...args: EmitArgs<E[Ev]>
    ): SmartSocketClientBase<L, E>;
  } {
    return {
      emit: (event, ...args) => {
        this.emitWith(event, args as unknown[], true);
        return this;
      },
    };
  }

  /** Adds a listener for a user event (`(data, ack?)`) or a client event. */
  on<Ev extends ReservedEventName | EventNames<L>>(event: Ev, listener: ListenerOf<L, Ev>): this {
    this.emitter.on(event, listener as (...args: any[]) => void);
    return this;
  }

  /** Like `on`, removed after the first call. */
  once<Ev extends ReservedEventName | EventNames<L>>(event: Ev, listener: ListenerOf<L, Ev>): this {
    this.emitter.once(event, listener as (...args: any[]) => void);
    return this;
  }

  /** Removes `listener`, or every listener of `event` when no listener is given. */
  off<Ev extends ReservedEventName | EventNames<L>>(event: Ev, listener?: ListenerOf<L, Ev>): this {
    if (listener) this.emitter.off(event, listener as (...args: any[]) => void);
    else this.emitter.removeAllListeners(event);
    return this;
  }

  private emitWith(event: string, args: unknown[], volatile: boolean): void {
    const [data, cb] = args;
    let settle: AckSettler | undefined;
    if (typeof cb === 'function') {
      if (this.opts.enableAcknowledgments)
        settle = (err, res) =>
          (cb as AckCallback)(err ? { error: err.message, code: err.code } : res);
      else this.logger.debug(`Ack callback of "${event}" ignored: enableAcknowledgments is false`);
    }
    this.send(event, data, settle, volatile);
  }

  private send(
    event: string,
    data: unknown,
    settle: AckSettler | undefined,
    volatile: boolean,
    timeout?: number,
  ): void {
    const ack = settle
      ? this.acks.create(event, timeout ?? this.opts.ackTimeout, settle)
      : undefined;
    if (this.state === 'connected') this.sendEvent({ event, data, ack });
    else if (volatile) {
      this.logger.debug(`Volatile "${event}" dropped: not connected`);
      if (ack)
        this.failSoon(
          ack,
          new SmartSocketError('ERR_CONN_006', 'Not connected (volatile emit dropped)'),
        );
    } else this.queue.push({ event, data, ack });
  }

  /** The send path of every EVENT: encode (+ codec hook), size check, batch. */
  private sendEvent({ event, data, ack }: QueuedEmit): void {
    const conn = this.conn!;
    const head = {
      type: FrameType.EVENT,
      namespace: this.namespace,
      event,
      ackId: ack ? this.acks.bind(ack) : undefined,
    };
    let frame: Uint8Array;
    try {
      frame = encodeOutgoing({ ...head, data }, this.codec);
    } catch (err) {
      this.refuse(
        ack,
        err instanceof SmartSocketError
          ? err
          : new SmartSocketError('ERR_MSG_001', undefined, { cause: err }),
      );
      return;
    }
    const max = this.answer!.maxPayload;
    const size = dataSectionLength(frame, head);
    if (size > max) {
      this.refuse(
        ack,
        new SmartSocketError(
          'ERR_MSG_004',
          `Message of ${size} bytes exceeds the server's maxPayload ${max}`,
          { event },
        ),
      );
      return;
    }
    conn.send(frame);
  }

  /** A message refused locally: its ack gets the error, or the `error` event does. */
  private refuse(ack: PendingAck | undefined, err: SmartSocketError): void {
    this.logger.warn(`${err.code}: ${err.message}`);
    if (ack) this.failSoon(ack, err);
    else queueMicrotask(() => this.emitError(err));
  }

  private failSoon(ack: PendingAck, err: SmartSocketError): void {
    queueMicrotask(() => this.acks.fail(ack, err));
  }

  private open(): void {
    this.state = 'connecting';
    const transport = createTransport(this.transports[0]!, this.url, this.WebSocketImpl);
    this.logger.debug(`Connecting to ${this.url} (namespace ${this.namespace})`);
    const conn: Connection = new Connection({
      transport,
      namespace: this.namespace,
      request: connectRequest({
        apiKey: this.opts.apiKey,
        auth: this.opts.auth,
        compression: [],
        session: this.answer?.sid || undefined,
      }),
      timeout: this.opts.timeout,
      heartbeatInterval: this.opts.heartbeatInterval,
      heartbeatTimeout: this.opts.heartbeatTimeout,
      timers: this.timers,
      logger: this.logger,
      codec: this.codec,
      onReady: (answer) => this.conn === conn && this.onReady(answer),
      onFrame: (frame) => this.conn === conn && this.onFrame(frame),
      onEnd: (end) => this.conn === conn && this.onEnd(end),
    });
    this.conn = conn;
    conn.start();
  }

  private onReady(answer: HandshakeAnswer): void {
    this.answer = answer;
    this.state = 'connected';
    const attempt = this.retry;
    this.retry = 0;
    for (const item of this.queue.drain()) this.sendEvent(item);
    this.settle();
    this.emitSafe('connected');
    if (attempt > 0) this.emitSafe('reconnected', attempt);
  }

  private onFrame(frame: Frame): void {
    try {
      const data = decodeIncoming(frame, this.codec);
      if (frame.type === FrameType.EVENT) this.dispatch(frame, data);
      else if (frame.type === FrameType.ACK) {
        if (!this.acks.resolve(frame.ackId!, data))
          this.logger.debug(`ERR_ACK_003: unknown ack id ${frame.ackId}`);
      } else if (frame.type === FrameType.ERROR) {
        const err = SmartSocketError.fromPayload(data);
        if (err.ackId !== undefined) this.acks.reject(err.ackId, err);
        this.emitError(err);
      }
    } catch (err) {
      this.emitError(
        err instanceof SmartSocketError
          ? err
          : new SmartSocketError('ERR_MSG_001', undefined, { cause: err }),
      );
    }
  }

  private dispatch(frame: Frame, data: unknown): void {
    const { event, ackId } = frame;
    if (RESERVED.has(event) && event !== '__rate-limited__') {
      this.logger.debug(`Reserved event "${event}" from the server ignored`);
      return;
    }
    if (ackId === undefined) {
      this.emitSafe(event, data);
      return;
    }
    const conn = this.conn;
    let answered = false;
    const ack = (response?: unknown): void => {
      if (answered || this.conn !== conn || !conn?.isOpen) return;
      answered = true;
      conn.send(
        encodeOutgoing(
          { type: FrameType.ACK, namespace: this.namespace, ackId, data: response },
          this.codec,
        ),
      );
    };
    this.emitSafe(event, data, ack);
  }

  private onEnd(end: ConnectionEnd): void {
    this.conn = undefined;
    this.acks.failSent(
      new SmartSocketError('ERR_CONN_006', 'Connection lost before the acknowledgment arrived'),
    );
    if (this.manual) {
      if (end.established) this.emitSafe('disconnected', end.reason);
      return;
    }
    this.state = 'idle';
    if (end.error) this.emitError(end.error);
    if (end.established) this.emitSafe('disconnected', end.reason);
    if (this.manual) return; // a listener called disconnect()
    if (!end.reconnect) {
      this.settle(end.error ?? new SmartSocketError('ERR_CONN_001', end.reason));
      return;
    }
    this.scheduleRetry(end.error ?? new SmartSocketError('ERR_CONN_006', end.reason));
  }

  private scheduleRetry(lastError: SmartSocketError): void {
    const next = this.retry + 1;
    if (!mayRetry(next, this.opts)) {
      const attempts = this.retry;
      this.retry = 0;
      this.emitSafe('max-reconnect-attempts-reached', attempts);
      this.settle(lastError);
      return;
    }
    this.retry = next;
    const delay = reconnectDelay(next - 1, this.opts);
    this.state = 'waiting';
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.state === 'waiting') this.open();
    }, delay);
    this.emitSafe('reconnecting', next, delay);
  }

  /** Resolves (no error) or rejects the promise of a pending `connect()`. */
  private settle(error?: SmartSocketError): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return;
    if (error) pending.reject(error);
    else pending.resolve();
  }

  private emitError(err: SmartSocketError): void {
    this.logger.debug(`error ${err.code}: ${err.message}`);
    this.emitSafe('error', err);
  }

  /** Runs listeners; an exception in application code is logged, never breaks the session. */
  private emitSafe(event: string, ...args: unknown[]): void {
    try {
      this.emitter.emit(event, ...args);
    } catch (err) {
      this.logger.error(
        `Listener of "${event}" threw: ${err instanceof Error ? err.stack : String(err)}`,
      );
    }
  }
}

export type { ClientReservedEvents };
