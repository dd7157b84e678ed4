// The SmartSocket server: options, HTTP/WebSocket plumbing, namespaces, lifecycle, stats.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '@smartsocket/logger';
import { AppEmitter, callApp, DEFAULT_NAMESPACE, SmartSocketError } from '@smartsocket/protocol';
import { AckIds } from './ack-ids.js';
import { Admission, type AdmissionTicket } from './admission.js';
import { BroadcastOperator } from './broadcast-operator.js';
import { BroadcastTarget } from './broadcast-target.js';
import { Connection } from './connection.js';
import { FramePipeline } from './frame-pipeline.js';
import { shareHeaderValues } from './handshake.js';
import { HeartbeatSweeper } from './heartbeat-sweeper.js';
import { KeyRotation } from './key-rotation.js';
import type { Middleware } from './middleware.js';
import { Namespace, type NamespaceReservedEvents } from './namespace.js';
import { PollingEndpoint } from './polling-endpoint.js';
import { isPollingRouter, type PollingRouter } from './polling-forwarding.js';
import { RateLimiter, type RateLimitRule } from './rate-limiter.js';
import { Room } from './room.js';
import type { LifecycleEvents, MessageListener, ServerContext } from './server-context.js';
import { type ResolvedOptions, resolveOptions, type SmartSocketOptions } from './server-options.js';
import { MemorySessionStore } from './session-store.js';
import type { Socket } from './socket.js';
import type { ConnectionStats, NamespaceStats, ServerStats } from './stats-collector.js';
import { StatsCollector } from './stats-collector.js';
import { CloseCode, type Transport } from './transport.js';
import type { DefaultEventsMap, EventNames, EventsMap, WithSocket } from './typed-events.js';
import { WsEndpoint } from './ws-endpoint.js';

/** Lifecycle listeners of the server: the namespace ones across every namespace, plus `error`. */
export interface ServerReservedEvents<S> extends NamespaceReservedEvents<S> {
  /** An error thrown by user code (handlers, middleware) or an adapter. */
  error: (err: Error) => void;
}

// How long stop() waits for clients to complete the closing handshake before terminating.
const CLOSE_GRACE_MS = 1000;

/**
 * The SmartSocket server.
 *
 * @example
 * const server = new SmartSocket({ port: 3000 });
 * server.on('chat', (socket, data, ack) => { server.emit('chat', data); ack?.({ ok: true }); });
 * await server.start();
 */
export class SmartSocket<
  Listen extends EventsMap = DefaultEventsMap,
  Emit extends EventsMap = DefaultEventsMap,
  ServerSide extends EventsMap = DefaultEventsMap,
  Data = any,
> extends BroadcastTarget<Emit, Socket<Listen, Emit, Data>> {
  /** The options after defaults and validation. */
  readonly options: ResolvedOptions;
  readonly #ctx: ServerContext;
  readonly #logger: Logger;
  readonly #stats = new StatsCollector();
  readonly #lifecycle = new AppEmitter();
  readonly #namespaces = new Map<string, Namespace<Listen, Emit, ServerSide, Data>>();
  readonly #middlewares: Middleware[] = [];
  readonly #messageListeners: MessageListener[] = [];
  readonly #connections = new Set<Connection>();
  readonly #sweeper: HeartbeatSweeper;
  readonly #rateLimiter: RateLimiter | undefined;
  readonly #endpoint: WsEndpoint;
  readonly #polling: PollingEndpoint;
  #starting: Promise<void> | undefined;
  #listenedHere = false;
  #adaptersClosed = false;
  #stopping: Promise<void> | undefined;
  #lastPort: number;
  readonly #rotation: KeyRotation | undefined;

  constructor(options?: SmartSocketOptions);
  constructor(port: number, options?: SmartSocketOptions);
  constructor(portOrOptions?: number | SmartSocketOptions, maybeOptions: SmartSocketOptions = {}) {
    super();
    const user =
      typeof portOrOptions === 'number' ? { ...maybeOptions, port: portOrOptions } : portOrOptions;
    this.options = resolveOptions(user ?? {});
    this.#lastPort = this.options.port;
    const opts = this.options;
    this.#logger = opts.logger ?? createLogger('server');
    this.#rateLimiter = opts.enableRateLimiting
      ? new RateLimiter({
          global: { window: opts.rateLimitWindow, maxRequests: opts.rateLimitMaxRequests },
        })
      : undefined;
    this.#sweeper = new HeartbeatSweeper(
      this.#connections,
      opts.connectionTimeout,
      opts.heartbeatTimeout,
      opts.handshakeTimeout,
      this.#sink,
    );
    const pipeline = new FramePipeline(opts);
    this.#rotation = pipeline.ring
      ? new KeyRotation(pipeline.ring, opts.keyRotationGracePeriod, () => this.#retireSessions())
      : undefined;
    const admission = new Admission(opts, (err) => this.#reportError(err));
    this.#ctx = {
      opts,
      admission,
      logger: this.#logger,
      pipeline,
      ackIds: new AckIds(),
      stats: this.#stats,
      onDrop: (reason) => this.#stats.dropped(reason),
      recoverable: opts.enableMessageCache
        ? new MemorySessionStore<Socket>(
            opts.messageCacheTTL,
            (s, token) => s._expire(token),
            this.#sink,
          )
        : undefined,
      rateLimiter: this.#rateLimiter,
      middlewares: this.#middlewares,
      messageListeners: this.#messageListeners,
      // The context is untyped (any event map); the namespaces are the same objects.
      getNamespace: (name) => this.#namespaces.get(name) as never,
      emitLifecycle: (event, ...args) => this.#emitLifecycle(event, ...args),
      reportError: this.#sink,
    };
    this.#polling = new PollingEndpoint(opts, this.#stats, this.#logger, {
      admission,
      accept: (transport, req, ticket) => this.#accept(transport, req, ticket),
      router: () => this.#router(),
    });
    this.#endpoint = new WsEndpoint(opts, this.#stats, this.#logger, {
      admission,
      accept: (transport, req, ticket) => this.#accept(transport, req, ticket),
      metrics: this,
      request: (req, res) => this.#polling.handle(req, res),
      dashboard: { connections: this.#connections, namespaces: this.#namespaces },
    });
    this.namespace(DEFAULT_NAMESPACE);
    this.#router()?.servePolling((request, signal) =>
      this.#polling.serveForwarded(request, signal),
    );
  }

  /** The default namespace's cluster adapter: it routes polling requests between nodes. */
  #router(): PollingRouter | undefined {
    const adapter = this.#namespaces.get(DEFAULT_NAMESPACE)?.adapter;
    return isPollingRouter(adapter) ? adapter : undefined;
  }

  /** The bound port once listening (useful with `port: 0`; kept after `stop()`), else the configured port. */
  get port(): number {
    const address = this.#endpoint.server?.address();
    if (address && typeof address === 'object') this.#lastPort = (address as AddressInfo).port;
    return this.#lastPort;
  }

  /** Starts listening (or attaches to `options.server`); resolves when ready. */
  start(): Promise<void> {
    this.#starting ??= this.#start().catch((err) => {
      this.#teardownHttp();
      this.#starting = undefined;
      throw err;
    });
    return this.#starting;
  }

  /** Same as `start()`; `cb` is called once listening (seed API). */
  listen(cb?: () => void): Promise<void> {
    const p = this.start();
    if (cb) p.then(() => callApp(this.#sink, cb), this.#sink);
    return p;
  }

  /**
   * Sends DISCONNECT `{ reason: 'server shutting down', reconnect: true }` to every client,
   * closes every connection, the adapters and (if `start()` made it listen) the HTTP server.
   * Resolves when everything is closed; no timers or handles are left behind.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#rotation?.stop();
    if (!this.#starting) return this.#closeAdapters();
    await this.#starting.catch(() => {});
    this.#sweeper.stop();
    for (const conn of [...this.#connections]) {
      if (conn.socket) conn.socket._shutdown('server shutting down');
      else conn.close(CloseCode.GOING_AWAY, 'server shutting down');
    }
    // Sessions kept for recovery end now (a restarted server knows none of them).
    this.#ctx.recoverable?.clear();
    // WebSockets finish their closing handshake; polling clients collect their DISCONNECT.
    await Promise.all([this.#endpoint.drain(CLOSE_GRACE_MS), this.#polling.drain(CLOSE_GRACE_MS)]);
    await this.#closeAdapters();
    const server = this.#endpoint.server;
    this.#teardownHttp();
    if (server && this.#listenedHere) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    }
    this.#listenedHere = false;
    this.#starting = undefined;
  }

  /** Alias of `stop()`. */
  close(): Promise<void> {
    return this.stop();
  }

  /**
   * The namespace `name`, created on first use (alias: `of`). Clients may connect only to
   * namespaces created this way (`'/'` always exists); others get `ERR_MSG_005`.
   */
  namespace(name: string): Namespace<Listen, Emit, ServerSide, Data> {
    if (typeof name !== 'string' || !name.startsWith('/'))
      throw new SmartSocketError(
        'ERR_MSG_005',
        `Namespace must start with "/", got ${String(name)}`,
      );
    let nsp = this.#namespaces.get(name);
    if (!nsp) this.#namespaces.set(name, (nsp = new Namespace(this.#ctx, name)));
    return nsp;
  }

  /** Alias of `namespace`. */
  of(name: string): Namespace<Listen, Emit, ServerSide, Data> {
    return this.namespace(name);
  }

  /** The namespaces served, by name. */
  get namespaces(): ReadonlyMap<string, Namespace<Listen, Emit, ServerSide, Data>> {
    return this.#namespaces;
  }

  /** Sockets of the default namespace, by id. */
  get sockets(): ReadonlyMap<string, Socket<Listen, Emit, Data>> {
    return this.namespace(DEFAULT_NAMESPACE).sockets;
  }

  /**
   * Lifecycle events (`connected`/`connection`, `disconnected`, `rate-limit` across all
   * namespaces; `error`), or a user event of namespace `'/'`: `(socket, data, ack?)`.
   */
  on<E extends keyof ServerReservedEvents<Socket<Listen, Emit, Data>>>(
    event: E,
    handler: ServerReservedEvents<Socket<Listen, Emit, Data>>[E],
  ): this;
  on<E extends EventNames<Listen>>(
    event: E,
    handler: WithSocket<Socket<Listen, Emit, Data>, Listen[E]>,
  ): this;
  on(event: string, handler: (...args: any[]) => unknown): this {
    if (
      event === 'connected' ||
      event === 'connection' ||
      event === 'disconnected' ||
      event === 'rate-limit' ||
      event === 'error'
    )
      this.#lifecycle.on(event === 'connection' ? 'connected' : event, handler);
    else this.namespace(DEFAULT_NAMESPACE).on(event as never, handler as never);
    return this;
  }

  /** Removes a handler registered with `on`. */
  off(event: string, handler?: (...args: any[]) => unknown): this {
    if (
      event === 'connected' ||
      event === 'connection' ||
      event === 'disconnected' ||
      event === 'rate-limit' ||
      event === 'error'
    )
      this.#lifecycle.off(event === 'connection' ? 'connected' : event, handler);
    else this.namespace(DEFAULT_NAMESPACE).off(event, handler);
    return this;
  }

  /** Per-event middleware for every namespace, run before the namespace's own. */
  use(middleware: Middleware<Socket<Listen, Emit, Data>>): this {
    this.#middlewares.push(middleware as Middleware);
    return this;
  }

  /** Limits one event per client, on top of the global window. */
  setEventRateLimit(event: string, rule: RateLimitRule): this {
    if (!this.#rateLimiter)
      throw new SmartSocketError(
        'ERR_CONFIG_001',
        'setEventRateLimit needs enableRateLimiting: true',
      );
    this.#rateLimiter.setEventRateLimit(event, rule);
    return this;
  }

  /**
   * Makes `newKey` (base64 of 32 bytes; `ERR_CONFIG_001` otherwise, or when encryption is off)
   * the key of new connections at once. The previous key keeps opening CONNECTs and serving its
   * sockets for `keyRotationGracePeriod` ms; then the sockets still on it get DISCONNECT
   * `{ reason: 'key rotated', reconnect: true }` and a CONNECT sealed with it is refused.
   */
  rotateEncryptionKey(newKey: string): void {
    if (!this.#rotation)
      throw new SmartSocketError(
        'ERR_CONFIG_001',
        'rotateEncryptionKey needs encryption on (enableEncryption with an encryptionKey)',
      );
    this.#rotation.rotate(newKey);
  }

  /** `{ connections, memoryUsage, uptime, messagesPerSecond, averageLatency, transmission }`. */
  getStats(): ServerStats {
    return this.#stats.getStats();
  }

  /** `{ active, total, peak, rejected, byTransport: { websocket, polling } }`. */
  getConnectionStats(): ConnectionStats {
    return this.#stats.getConnectionStats();
  }

  /** Per namespace: `{ connections, memoryUsage, events }`. */
  getNamespaceStats(): Record<string, NamespaceStats> {
    const counts = new Map<string, number>();
    for (const [name, nsp] of this.#namespaces) counts.set(name, nsp.sockets.size);
    return this.#stats.getNamespaceStats(counts);
  }

  // ---- seed-compatible room API -------------------------------------------------------------

  /** Seed API: same as `on('connected', cb)`. */
  onConnection(cb: (socket: Socket<Listen, Emit, Data>) => unknown): this {
    this.#lifecycle.on('connected', cb);
    return this;
  }

  /** Seed API: `cb(socket, event, data)` for every user event of every namespace. */
  onMessage(
    cb: (socket: Socket<Listen, Emit, Data>, event: string, data: unknown) => unknown,
  ): this {
    this.#messageListeners.push(cb as MessageListener);
    return this;
  }

  /** Seed API: a view of room `name` of the default namespace. */
  room(name: string): Room {
    return new Room(this.namespace(DEFAULT_NAMESPACE), name);
  }

  /** Seed API: the rooms of the default namespace (sockets' own id rooms excluded), by name. */
  get rooms(): Map<string, Room> {
    const nsp = this.namespace(DEFAULT_NAMESPACE);
    const out = new Map<string, Room>();
    for (const name of nsp.adapter.rooms.keys())
      if (!nsp.sockets.has(name)) out.set(name, new Room(nsp, name));
    return out;
  }

  /** Seed API: every socket of the default namespace leaves room `name` (so it is deleted). */
  removeRoom(name: string): boolean {
    const nsp = this.namespace(DEFAULT_NAMESPACE);
    const existed = nsp.adapter.rooms.has(name);
    nsp.in(name).socketsLeave(name);
    return existed;
  }

  /** Seed API: same as `emit(event, data)`. */
  broadcast(event: string, data?: unknown): boolean {
    return this._operator().emit(event as never, ...([data] as never));
  }

  // ---- internals ----------------------------------------------------------------------------

  protected override _operator(): BroadcastOperator<Emit, Socket<Listen, Emit, Data>> {
    return new BroadcastOperator<Emit, Socket<Listen, Emit, Data>>(
      () => [...this.#namespaces.values()] as never,
    );
  }

  async #start(): Promise<void> {
    const opts = this.options;
    this.#reopenAdapters();
    const server = opts.server ?? createServer();
    this.#polling.resume();
    this.#endpoint.attach(server, opts.server === undefined);
    this.#sweeper.start();
    if (!server.listening) {
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error): void => reject(err);
        server.once('error', onError);
        server.listen(opts.port, opts.host, () => {
          server.off('error', onError);
          resolve();
        });
      });
      this.#listenedHere = true;
    }
    this.#logger.info(`Listening on ${opts.host}:${this.port}${opts.path}`);
  }

  /** After a `stop()`, opens the adapters again (a cluster node rejoins its cluster). */
  #reopenAdapters(): void {
    if (!this.#adaptersClosed) return;
    this.#adaptersClosed = false;
    for (const nsp of this.#namespaces.values()) {
      try {
        const init = nsp.adapter.init();
        if (init) init.catch((err) => this.#reportError(err));
      } catch (err) {
        this.#reportError(err);
      }
    }
  }

  /** Closes every namespace's adapter once (also for a server that never started). */
  async #closeAdapters(): Promise<void> {
    if (this.#adaptersClosed) return;
    this.#adaptersClosed = true;
    for (const nsp of this.#namespaces.values()) {
      try {
        await nsp.adapter.close();
      } catch (err) {
        this.#reportError(err);
      }
    }
  }

  #teardownHttp(): void {
    this.#sweeper.stop();
    this.#endpoint.detach();
  }

  /** One close callback for every connection (no closure per connection). */
  readonly #connectionClosed = (c: Connection): void => {
    // The admission slot is free the moment the connection is, not when its socket is gone.
    c.ticket?.release();
    if (this.#connections.delete(c)) this.#stats.connectionClosed(c.transport.name);
  };

  /** Makes the connection of an admitted transport (WebSocket or polling) and its slot. */
  #accept(transport: Transport, req: IncomingMessage, ticket: AdmissionTicket): void {
    shareHeaderValues(req.headers);
    const conn = new Connection(
      this.#ctx,
      transport,
      { headers: req.headers, address: ticket.address, url: req.url ?? '' },
      this.#connectionClosed,
    );
    conn.ticket = ticket;
    this.#connections.add(conn);
    this.#stats.connectionOpened(transport.name);
  }

  /** After a rotation's grace period: sockets on a retired key are asked to reconnect. */
  #retireSessions(): void {
    const ring = this.#ctx.pipeline.ring;
    if (!ring) return;
    for (const conn of [...this.#connections]) {
      if (conn.key === undefined || ring.accepts(conn.key)) continue;
      // Runs from a timer: one failure must not keep the other sockets on the retired key.
      try {
        if (conn.socket) conn.socket._shutdown('key rotated');
        else conn.close(CloseCode.GOING_AWAY, 'key rotated');
      } catch (err) {
        this.#reportError(err);
      }
    }
  }

  #emitLifecycle<E extends keyof LifecycleEvents>(event: E, ...args: LifecycleEvents[E]): void {
    this.#lifecycle.emit(this.#sink, event, ...args);
  }

  /** Where every failure of app code (and of adapters) goes: the logger, then `error` listeners. */
  readonly #sink = (err: unknown): void => this.#reportError(err);

  /** Logs the error; a failing `error` listener is logged too (reporting it again could loop). */
  readonly #listenerFailed = (err: unknown): void => {
    this.#logger.error(`An "error" listener threw: ${describe(err)}`);
  };

  #reportError(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    this.#logger.error(`Application error: ${describe(error)}`);
    // Never EventEmitter's emit('error'): with no listener it would throw.
    this.#lifecycle.emit(this.#listenerFailed, 'error', error);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
