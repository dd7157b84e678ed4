// The SmartSocket client: connection lifecycle, reconnection policy, events; emits go via Outbox.
import { createLogger, type Logger } from '@smartsocket/logger';
import { SmartSocketError } from '@smartsocket/protocol';
import type { AckSettler } from './ack-registry.js';
import { ClientEvents } from './client-events.js';
import { Connection, type ConnectionEnd } from './connection.js';
import { resolveEndpoint } from './endpoint.js';
import { connectRequest, type HandshakeAnswer } from './handshake.js';
import { handleFrame, type InboundContext } from './inbound.js';
import { type ClientOptions, type ResolvedClientOptions, resolveOptions } from './options.js';
import { Outbox } from './outbox.js';
import { mayRetry, reconnectDelay } from './reconnect-policy.js';
import type { SectionCodec } from './section-codec.js';
import { systemTimers, type TimerProvider } from './timers.js';
import type { TransportName, WebSocketConstructor } from './transport.js';
import { createTransport, usableTransports } from './transport-factory.js';
import type {
  AckCallback,
  AckResponse,
  DefaultEventsMap,
  EmitArgs,
  EventData,
  EventNames,
  EventsMap,
  EventsWithAck,
} from './typed-events.js';

type State = 'idle' | 'connecting' | 'connected' | 'waiting';

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: Error) => void;
}

function configError(option: string, why: string): SmartSocketError {
  return new SmartSocketError('ERR_CONFIG_001', `Invalid option "${option}": ${why}`);
}

/**
 * A SmartSocket client (platform-neutral core; the package entries pick the default WebSocket).
 * `L` types the events the server sends, `E` the events this client emits.
 */
export class SmartSocketClientBase<
  L extends EventsMap = DefaultEventsMap,
  E extends EventsMap = DefaultEventsMap,
> extends ClientEvents<L> {
  /** Free storage for the application; the client never touches it. */
  data: Record<string, unknown> = {};
  /** Namespace this client joins. */
  readonly namespace: string;
  /** WebSocket URL of the endpoint. */
  readonly url: string;
  private readonly opts: ResolvedClientOptions;
  protected readonly logger: Logger;
  private readonly timers: TimerProvider;
  private readonly outbox: Outbox;
  private readonly inbound: InboundContext;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly transports: TransportName[];
  /** Compression/sealing hook of the send path (none yet: issue 4 plugs encryption in here). */
  private readonly codec: SectionCodec | undefined = undefined;
  private state: State = 'idle';
  private conn: Connection | undefined;
  private answer: HandshakeAnswer | undefined;
  private retry = 0;
  private reconnectTimer: unknown;
  private manual = false;
  private pending: Deferred | undefined;

  /**
   * @example
   * const client = new SmartSocketClient('ws://localhost:3000', { namespace: '/chat' });
   * await client.connect();
   */
  constructor(url: string, options: ClientOptions = {}, defaultWebSocket?: WebSocketConstructor) {
    super();
    this.opts = resolveOptions(options);
    const endpoint = resolveEndpoint(url, this.opts);
    this.url = endpoint.url;
    this.namespace = endpoint.namespace;
    const ws = this.opts.WebSocket ?? defaultWebSocket;
    if (typeof ws !== 'function')
      throw configError('WebSocket', 'no WebSocket implementation available');
    this.WebSocketImpl = ws;
    if (this.opts.enableEncryption)
      throw configError('enableEncryption', 'not supported by this client version yet');
    this.logger = this.opts.logger ?? createLogger('client');
    this.transports = usableTransports(this.opts.transports, this.logger);
    this.timers = this.opts.timers ?? systemTimers;
    this.outbox = new Outbox({
      namespace: this.namespace,
      ackTimeout: this.opts.ackTimeout,
      queueSize: this.opts.queueSize,
      queueMaxAge: this.opts.queueMaxAge,
      timers: this.timers,
      logger: this.logger,
      codec: this.codec,
      onError: (err) => this.emitError(err),
    });
    this.inbound = {
      namespace: this.namespace,
      codec: this.codec,
      acks: this.outbox.acks,
      logger: this.logger,
      isCurrent: (conn) => this.conn === conn,
      emit: (event, ...args) => this.emitSafe(event, ...args),
      emitError: (err) => this.emitError(err),
    };
  }

  /** True while the session is established. */
  get connected(): boolean {
    return this.state === 'connected';
  }

  /** Socket id given by the server (UUID v4); undefined before the first connection. */
  get id(): string | undefined {
    return this.answer?.id;
  }

  /** The transport in use (or last used); undefined before the first attempt. */
  get transport(): TransportName | undefined {
    return this.conn || this.answer ? this.transports[0] : undefined;
  }

  /** Last heartbeat round trip in ms (undefined until one has been measured). */
  get latency(): number | undefined {
    return this.conn?.rtt;
  }

  /** True when the server restored the previous session on the last (re)connection. */
  get recovered(): boolean {
    return this.answer?.recovered === true;
  }

  /**
   * Connects and resolves once the server has answered CONNECT. Failed attempts are retried
   * under the reconnection policy; rejects with the last `SmartSocketError` when giving up, and
   * at once on errors no retry can fix (`ERR_CONN_004`, `ERR_MSG_005`).
   */
  connect(): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    if (this.pending) return this.pending.promise;
    this.manual = false;
    const pending = {} as Deferred;
    pending.promise = new Promise<void>((resolve, reject) => {
      pending.resolve = resolve;
      pending.reject = reject;
    });
    this.pending = pending;
    if (this.state === 'idle') {
      this.retry = 0;
      this.open();
    }
    return pending.promise;
  }

  /**
   * Leaves the server; no automatic reconnection follows. Pending acks fail with `ERR_CONN_006`
   * and the offline queue is emptied, so nothing keeps the process alive.
   */
  disconnect(): this {
    this.manual = true;
    this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.conn?.close('client disconnect');
    this.conn = undefined;
    this.state = 'idle';
    this.retry = 0;
    this.outbox.clear();
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
   * `SmartSocketError` (`ERR_ACK_001` on timeout, the server's code on a rejection).
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
      this.outbox.emit(event, data, settle, false, options.timeout);
    });
  }

  /** Emits that are dropped instead of queued while the client is not connected. */
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

  private emitWith(event: string, args: unknown[], volatile: boolean): void {
    const [data, cb] = args;
    let settle: AckSettler | undefined;
    if (typeof cb === 'function') {
      if (this.opts.enableAcknowledgments)
        settle = (err, res) =>
          (cb as AckCallback)(err ? { error: err.message, code: err.code } : res);
      else this.logger.debug(`Ack callback of "${event}" ignored: enableAcknowledgments is false`);
    }
    this.outbox.emit(event, data, settle, volatile);
  }

  private open(): void {
    this.state = 'connecting';
    this.logger.debug(`Connecting to ${this.url} (namespace ${this.namespace})`);
    const conn: Connection = new Connection({
      transport: createTransport(this.transports[0]!, this.url, this.WebSocketImpl),
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
      onReady: (answer) => this.conn === conn && this.onReady(conn, answer),
      onFrame: (frame) => this.conn === conn && handleFrame(this.inbound, conn, frame),
      onEnd: (end) => this.conn === conn && this.onEnd(end),
    });
    this.conn = conn;
    conn.start();
  }

  private onReady(conn: Connection, answer: HandshakeAnswer): void {
    this.answer = answer;
    this.state = 'connected';
    const attempt = this.retry;
    this.retry = 0;
    this.outbox.attach(conn, answer.maxPayload);
    this.settle();
    this.emitSafe('connected');
    if (attempt > 0) this.emitSafe('reconnected', attempt);
  }

  private onEnd(end: ConnectionEnd): void {
    this.conn = undefined;
    this.outbox.detach();
    if (this.manual) {
      if (end.established) this.emitSafe('disconnected', end.reason);
      return;
    }
    this.state = 'idle';
    if (end.error) this.emitError(end.error);
    if (end.established) this.emitSafe('disconnected', end.reason);
    // A listener may have called disconnect() or connect() meanwhile: then that call decides.
    if (this.manual || this.state !== 'idle') return;
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
}
