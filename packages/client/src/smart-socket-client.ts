// The SmartSocket client: connection lifecycle, reconnection policy, events; emits go via Outbox.
import { createLogger, type Logger } from '@smartsocket/logger';
import { callApp, checkAckOptions, checkEmitArgs, SmartSocketError } from '@smartsocket/protocol';
import type { AckSettler } from './ack-registry.js';
import { ClientEvents } from './client-events.js';
import type { CodecKit, CodecLoader, CodecNeeds, Sealing, SealKey } from './codec-kit.js';
import { Connection, type ConnectionEnd } from './connection.js';
import { DrainWatch } from './drain-watch.js';
import { resolveEndpoint } from './endpoint.js';
import { connectRequest, type HandshakeAnswer } from './handshake.js';
import { handleFrame, type InboundContext } from './inbound.js';
import { type ClientOptions, type ResolvedClientOptions, resolveOptions } from './options.js';
import { type EmitFlags, Outbox } from './outbox.js';
import {
  mayRetry,
  type ReconnectPolicyOptions,
  reconnectDelay,
  withAnnounced,
} from './reconnect-policy.js';
import { SessionCodec } from './session-codec.js';
import { systemTimers, type TimerProvider } from './timers.js';
import type { TransportName, WebSocketConstructor } from './transport.js';
import { createTransport, hasFetch, usableTransports } from './transport-factory.js';
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

// The shortest quiet time between two warnings of unheard rate-limit refusals (ms).
const MIN_RATE_WARN_INTERVAL = 1000;

type State = 'idle' | 'connecting' | 'connected' | 'waiting';

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** The compression or encryption back end could not be loaded (a browser chunk failed). */
function kitFailed(cause: unknown): SmartSocketError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new SmartSocketError(
    'ERR_CONN_001',
    `Could not load the compression/encryption back end (${why})`,
    { cause },
  );
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
  /** Long-polling URL of the endpoint. */
  private readonly pollUrl: string;
  private readonly opts: ResolvedClientOptions;
  protected readonly logger: Logger;
  private readonly timers: TimerProvider;
  private readonly outbox: Outbox;
  private readonly drainWatch: DrainWatch;
  private readonly inbound: InboundContext;
  private readonly WebSocketImpl: WebSocketConstructor | undefined;
  private readonly transports: TransportName[];
  /** The transport of the current or last attempt. */
  private current: TransportName | undefined;
  /** The transport that worked after a fallback: later reconnections start with it. */
  private preferred: TransportName | undefined;
  /** The transport the next attempt uses when it falls back within one attempt. */
  private fallbackTo: TransportName | undefined;
  /** Which back ends the options turn on. */
  private readonly needs: CodecNeeds;
  /** Provides the back ends (the entry's: built in on Node, lazily loaded chunks in browsers). */
  private readonly loadCodecKit: CodecLoader;
  /** The back ends once provided: raw DEFLATE (node:zlib, or a browser's) and sealing. */
  private kit: CodecKit | undefined;
  /** Loading the back ends (browser chunks); cleared when it fails, so a later attempt retries. */
  private kitLoading: Promise<CodecKit> | undefined;
  /** Where each connection attempt gets its key; undefined: encryption off. */
  private keySource: ReturnType<Sealing['keySource']> | undefined;
  /** Counts connection attempts, so a key that resolves late for a stale attempt is dropped. */
  private attempt = 0;
  private state: State = 'idle';
  private conn: Connection | undefined;
  private answer: HandshakeAnswer | undefined;
  private retry = 0;
  private reconnectTimer: unknown;
  private manual = false;
  private pending: Deferred | undefined;
  /** The reconnection options the user set, which a server's announced policy never replaces. */
  private readonly userPolicy: ReadonlySet<string>;
  /** The backoff in force: the options, updated by each handshake's announced policy. */
  private policy: ReconnectPolicyOptions;
  /** Until when (epoch ms) an unheard rate-limit refusal is not logged again. */
  private rateWarnQuietUntil = 0;

  /**
   * @example
   * const client = new SmartSocketClient('ws://localhost:3000', { namespace: '/chat' });
   * await client.connect();
   */
  constructor(
    url: string,
    options: ClientOptions = {},
    defaultWebSocket?: WebSocketConstructor,
    loadCodecKit: CodecLoader = () => ({}),
  ) {
    super();
    this.opts = resolveOptions(options);
    this.policy = this.opts;
    this.userPolicy = new Set(
      Object.keys(options).filter((k) => (options as Record<string, unknown>)[k] !== undefined),
    );
    const endpoint = resolveEndpoint(url, this.opts);
    this.url = endpoint.url;
    this.pollUrl = endpoint.pollUrl;
    this.namespace = endpoint.namespace;
    const ws = this.opts.WebSocket ?? defaultWebSocket;
    this.logger = this.opts.logger ?? createLogger('client');
    const wantsWs = this.opts.transports.includes('websocket');
    if (typeof ws !== 'function' && wantsWs && !this.opts.transports.includes('polling'))
      throw configError('WebSocket', 'no WebSocket implementation available');
    this.WebSocketImpl = typeof ws === 'function' ? ws : undefined;
    this.transports = usableTransports(
      this.opts.transports,
      { WebSocket: this.WebSocketImpl, fetch: hasFetch() },
      this.logger,
    );
    this.needs = {
      compression: this.opts.enableCompression,
      encryption: this.opts.enableEncryption && this.opts.encryptionKey !== undefined,
    };
    this.loadCodecKit = loadCodecKit;
    this.timers = this.opts.timers ?? systemTimers;
    this.outbox = new Outbox({
      namespace: this.namespace,
      ackTimeout: this.opts.ackTimeout,
      queueSize: this.opts.queueSize,
      queueMaxAge: this.opts.queueMaxAge,
      timers: this.timers,
      logger: this.logger,
      onError: (err) => this.emitError(err),
    });
    this.drainWatch = new DrainWatch({
      bound: this.opts.maxBufferedBytes,
      buffered: () => this.outbox.bufferedAmount,
      timers: this.timers,
      onDrain: () => this.emitSafe('drain'),
    });
    this.inbound = {
      namespace: this.namespace,
      acks: this.outbox.acks,
      logger: this.logger,
      isCurrent: (conn) => this.conn === conn,
      fresh: (frame) => this.outbox.stream.received(frame),
      answer: (ackId, response) => this.outbox.sendAck(ackId, response),
      emit: (event, data, ack) => this.emitData(event, data, ack),
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
    return this.current;
  }

  /** Last heartbeat round trip in ms (undefined until one has been measured). */
  get latency(): number | undefined {
    return this.conn?.rtt;
  }

  /** Bytes emitted on the live connection and not yet written to the network. */
  get bufferedAmount(): number {
    return this.outbox.bufferedAmount;
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
    // A new connect() tries the transports in order again (the network may have changed).
    this.preferred = this.fallbackTo = undefined;
    this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.conn?.close('client disconnect');
    this.conn = undefined;
    this.state = 'idle';
    this.retry = 0;
    this.outbox.clear();
    this.drainWatch.stop();
    this.settle(
      new SmartSocketError('ERR_CONN_006', 'Disconnected before the connection was established'),
    );
    return this;
  }

  /**
   * Sends `event` with `data`; with a callback, the server's ack response (or `{ error, code }`)
   * reaches it. While disconnected the emit waits in the offline queue. Returns false when
   * `bufferedAmount` is past half of `maxBufferedBytes` (the emit is still sent): wait for
   * `drain`, which fires once it is back under a quarter, before emitting more.
   *
   * @example
   * client.emit('save', doc, (res) => console.log(res));
   * const pump = () => { while (chunks.length > 0) if (!client.emit('chunk', chunks.shift())) return; };
   * client.on('drain', pump);
   */
  emit<Ev extends EventNames<E>>(event: Ev, ...args: EmitArgs<E[Ev]>): boolean {
    return this.emitWith(event, args as unknown[], false);
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
    checkAckOptions(event, options);
    return this.ackedEmit(event, data, { timeout: options.timeout });
  }

  /** `emitWithAck` with flags: resolves with the ack response, rejects with a coded error. */
  private ackedEmit<R>(event: string, data: unknown, flags: EmitFlags): Promise<R> {
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
      const settle: AckSettler = (err, res) => (err ? reject(err) : resolve(res as R));
      this.outbox.emit(event, data, settle, flags);
    });
  }

  /** Emits that are dropped instead of queued while the client is not connected. */
  get volatile(): {
    emit<Ev extends EventNames<E>>(event: Ev, ...args: EmitArgs<E[Ev]>): boolean;
  } {
    return {
      emit: (event, ...args) => this.emitWith(event, args as unknown[], true),
    };
  }

  /**
   * `compress(false)`: the next emit is never compressed, whatever its size (keep secrets out of
   * a compressed section that also holds attacker-chosen data: CRIME/BREACH).
   *
   * @example
   * client.compress(false).emit('token', { secret, note: userText });
   */
  compress(compress: boolean): {
    emit<Ev extends EventNames<E>>(event: Ev, ...args: EmitArgs<E[Ev]>): boolean;
    emitWithAck<Ev extends EventsWithAck<E>>(
      event: Ev,
      data: EventData<E[Ev]>,
      options?: { timeout?: number },
    ): Promise<AckResponse<E[Ev]>>;
  } {
    return {
      emit: (event, ...args) => this.emitWith(event, args as unknown[], false, compress),
      emitWithAck: (event, data, options = {}) => {
        checkAckOptions(event, options);
        return this.ackedEmit(event, data, { timeout: options.timeout, compress });
      },
    };
  }

  /** Sends (or queues) one emit; the result is `emit`'s: false past half `maxBufferedBytes`. */
  private emitWith(event: string, args: unknown[], volatile: boolean, compress = true): boolean {
    checkEmitArgs(event, args);
    const [data, cb] = args;
    let settle: AckSettler | undefined;
    if (typeof cb === 'function') {
      if (this.opts.enableAcknowledgments)
        settle = (err, res) =>
          callApp(
            this.reportAppError,
            cb as AckCallback,
            err ? { error: err.message, code: err.code } : res,
          );
      else this.logger.debug(`Ack callback of "${event}" ignored: enableAcknowledgments is false`);
    }
    this.outbox.emit(event, data, settle, { volatile, compress });
    return this.drainWatch.writable();
  }

  /** Starts a connection attempt: first the key (the key function may be async), then the transport. */
  private open(): void {
    this.state = 'connecting';
    const attempt = ++this.attempt;
    const current = () => this.attempt === attempt && this.state === 'connecting' && !this.manual;
    let kit: CodecKit | Promise<CodecKit>;
    try {
      kit = this.kit ?? this.kitLoading ?? this.loadCodecKit(this.needs);
    } catch (err) {
      this.attemptFailed(kitFailed(err));
      return;
    }
    if (!(kit instanceof Promise)) {
      this.useKit(kit);
      this.openKeyed(attempt);
      return;
    }
    this.kitLoading = kit;
    kit.then(
      (k) => {
        this.useKit(k);
        if (current()) this.openKeyed(attempt);
      },
      (err: unknown) => {
        this.kitLoading = undefined;
        if (current()) this.attemptFailed(kitFailed(err));
      },
    );
  }

  /** Keeps the provided back ends; the key source needs the sealing one. */
  private useKit(kit: CodecKit): void {
    if (this.kit) return;
    this.kit = kit;
    this.kitLoading = undefined;
    if (this.needs.encryption && kit.sealing)
      this.keySource = kit.sealing.keySource(this.opts.encryptionKey!);
  }

  /** Second step of an attempt, back ends at hand: the key, then the transport. */
  private openKeyed(attempt: number): void {
    if (this.needs.encryption && !this.keySource) {
      // Never connect in the clear when encryption was asked for.
      this.keyFailed(new Error('this client entry has no encryption back end'));
      return;
    }
    let key: SealKey | Promise<SealKey> | undefined;
    try {
      key = this.keySource?.next();
    } catch (err) {
      this.keyFailed(err);
      return;
    }
    if (!(key instanceof Promise)) {
      this.openWith(key);
      return;
    }
    const current = () => this.attempt === attempt && this.state === 'connecting' && !this.manual;
    key.then(
      (k) => current() && this.openWith(k),
      (err: unknown) => current() && this.keyFailed(err),
    );
  }

  /** The key function failed or gave an unusable key: no retry can fix that. */
  private keyFailed(err: unknown): void {
    this.attemptFailed(
      err instanceof SmartSocketError
        ? err
        : new SmartSocketError('ERR_CONFIG_001', 'Invalid option "encryptionKey"', { cause: err }),
    );
  }

  /** An attempt that cannot start: the client goes idle and `connect()` rejects with `error`. */
  private attemptFailed(error: SmartSocketError): void {
    this.state = 'idle';
    this.retry = 0;
    this.emitError(error);
    this.settle(error);
  }

  private openWith(key: SealKey | undefined): void {
    const name = this.fallbackTo ?? this.preferred ?? this.transports[0]!;
    this.fallbackTo = undefined;
    this.current = name;
    const fallback = this.nextTransport(name);
    this.logger.debug(
      `Connecting to ${name === 'polling' ? this.pollUrl : this.url} over ${name} (namespace ${this.namespace})`,
    );
    const deflater = this.needs.compression ? this.kit?.deflater : undefined;
    const codec =
      key || deflater
        ? new SessionCodec({
            key,
            sealing: this.kit?.sealing,
            deflater,
            threshold: this.opts.compressionThreshold,
            level: this.opts.compressionLevel,
          })
        : undefined;
    const conn: Connection = new Connection({
      transport: createTransport(
        name,
        { url: this.url, pollUrl: this.pollUrl },
        this.WebSocketImpl,
      ),
      namespace: this.namespace,
      request: connectRequest({
        apiKey: this.opts.apiKey,
        auth: this.opts.auth,
        compression: codec?.announced ?? [],
        session: this.outbox.stream.request(),
        nonce: codec?.connectNonce,
      }),
      timeout: this.opts.timeout,
      ...(name === 'websocket' && fallback ? { openTimeout: this.opts.websocketTimeout } : {}),
      heartbeatInterval: this.opts.heartbeatInterval,
      heartbeatTimeout: this.opts.heartbeatTimeout,
      timers: this.timers,
      logger: this.logger,
      codec,
      onReady: (answer) => this.conn === conn && this.onReady(conn, answer),
      onFrame: (frame) => this.conn === conn && handleFrame(this.inbound, conn, frame),
      onError: (err) => this.conn === conn && this.emitError(err),
      onEnd: (end) => this.conn === conn && this.onEnd(end, conn),
      onReceived: (r) => this.conn === conn && this.outbox.stream.acknowledged(r),
    });
    this.conn = conn;
    conn.start();
  }

  /** The transport after `name` in `transports`, if any. */
  private nextTransport(name: TransportName): TransportName | undefined {
    return this.transports[this.transports.indexOf(name) + 1];
  }

  private onReady(conn: Connection, answer: HandshakeAnswer): void {
    const name = this.current!;
    // Remembered for reconnections: behind the same proxy, WebSocket would fail (or hang) again.
    if (name !== this.transports[0]) this.preferred = name;
    this.logger.debug(`Connected over ${name} (socket ${answer.id})`);
    this.answer = answer;
    this.policy = withAnnounced(this.opts, answer.reconnect, this.userPolicy);
    this.state = 'connected';
    const attempt = this.retry;
    this.retry = 0;
    this.outbox.attach(conn, answer);
    this.settle();
    this.emitSafe('connected', name);
    if (attempt > 0) this.emitSafe('reconnected', attempt);
  }

  private onEnd(end: ConnectionEnd, conn: Connection): void {
    this.conn = undefined;
    this.outbox.detach();
    const fallback = this.current && this.nextTransport(this.current);
    if (!this.manual && fallback && !conn.transportOpened && end.reconnect) {
      // The transport never opened (refused, failed or hung upgrade): the next one, at once.
      this.logger.debug(
        `${this.current} did not open (${end.error?.message ?? end.reason}); falling back to ${fallback}`,
      );
      this.fallbackTo = fallback;
      this.open();
      return;
    }
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
    if (!mayRetry(next, this.policy)) {
      const attempts = this.retry;
      this.retry = 0;
      this.emitSafe('max-reconnect-attempts-reached', attempts);
      this.settle(lastError);
      return;
    }
    this.retry = next;
    const delay = reconnectDelay(next - 1, this.policy);
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
    if (err.code === 'ERR_RATE_001' || err.code === 'ERR_RATE_002') this.warnRateLimited(err);
    this.emitSafe('error', err);
  }

  /**
   * A refusal nobody listens for would go unseen: logged at `warn` when there is no `error` nor
   * `__rate-limited__` listener, at most once per refusal window (`retryAfter`).
   */
  private warnRateLimited(err: SmartSocketError): void {
    if (this.listenerCount('error') > 0 || this.listenerCount('__rate-limited__') > 0) return;
    const now = Date.now();
    if (now < this.rateWarnQuietUntil) return;
    const quiet = Math.max(err.retryAfter ?? 0, MIN_RATE_WARN_INTERVAL);
    this.rateWarnQuietUntil = now + quiet;
    this.logger.warn(
      `${err.code}: the server refused "${err.event ?? ''}" (rate limit, retry after ${err.retryAfter ?? '?'} ms); ` +
        `listen for "error" or "__rate-limited__" to handle it. Not logged again for ${quiet} ms`,
    );
  }
}
