// A namespace: its sockets, event handlers, middleware, lifecycle events, adapter and broadcasts.
import { AppEmitter, callApp } from '@smartsocket/protocol';
import type { Adapter, AdapterNamespace, ServerSideAck } from './adapter.js';
import { InMemoryAdapter } from './adapter.js';
import { BroadcastOperator } from './broadcast-operator.js';
import { BroadcastTarget } from './broadcast-target.js';
import type { Middleware } from './middleware.js';
import type { LifecycleEvents, RateLimitInfo, ServerContext } from './server-context.js';
import type { Socket } from './socket.js';
import type { DefaultEventsMap, EventNames, EventsMap, WithSocket } from './typed-events.js';

/** Lifecycle listeners of a namespace (and of the server, across namespaces). */
export interface NamespaceReservedEvents<S> {
  connected: (socket: S) => void;
  /** Alias of `connected`. */
  connection: (socket: S) => void;
  disconnected: (socket: S, reason: string) => void;
  'rate-limit': (socket: S, info: RateLimitInfo) => void;
}

const LIFECYCLE: ReadonlySet<string> = new Set([
  'connected',
  'connection',
  'disconnected',
  'rate-limit',
]);

type AnyHandler = (...args: any[]) => unknown;

/**
 * A namespace (`'/'` always exists; others exist once `server.namespace(name)` created them).
 * User event handlers get `(socket, data, ack?)`.
 *
 * @example
 * const quiz = server.namespace('/quiz');
 * quiz.use((socket, event, data, next) => next());
 * quiz.on('answer', (socket, data, ack) => ack?.({ ok: true }));
 * quiz.to('game-1').emit('question', { text: '2 + 2?' });
 */
export class Namespace<
    Listen extends EventsMap = DefaultEventsMap,
    Emit extends EventsMap = DefaultEventsMap,
    ServerSide extends EventsMap = DefaultEventsMap,
    Data = any,
  >
  extends BroadcastTarget<Emit, Socket<Listen, Emit, Data>>
  implements AdapterNamespace
{
  /** Connected sockets of this namespace on this server, by id. */
  readonly sockets = new Map<string, Socket<Listen, Emit, Data>>();
  /** Room membership and broadcast delivery (in-memory unless the `adapter` option says otherwise). */
  readonly adapter: Adapter;
  /** @internal */
  readonly _middlewares: Middleware[] = [];
  readonly #handlers = new Map<string, AnyHandler[]>();
  readonly #lifecycle = new AppEmitter();
  readonly #serverSide = new Map<string, AnyHandler[]>();
  #chain: readonly Middleware[] = [];

  /** @internal namespaces are created by `server.namespace(name)` */
  constructor(
    private readonly ctx: ServerContext,
    /** The namespace name, e.g. `'/quiz'`. */
    readonly name: string,
  ) {
    super();
    this.adapter = ctx.opts.adapter ? ctx.opts.adapter(this) : new InMemoryAdapter(this);
    this._adapterCall((a) => a.init());
  }

  /** Adds a handler for a client event `(socket, data, ack?)` or a lifecycle event. */
  on<E extends keyof NamespaceReservedEvents<Socket<Listen, Emit, Data>>>(
    event: E,
    handler: NamespaceReservedEvents<Socket<Listen, Emit, Data>>[E],
  ): this;
  on<E extends EventNames<Listen>>(
    event: E,
    handler: WithSocket<Socket<Listen, Emit, Data>, Listen[E]>,
  ): this;
  on(event: string, handler: AnyHandler): this {
    if (LIFECYCLE.has(event)) {
      this.#lifecycle.on(event === 'connection' ? 'connected' : event, handler);
      return this;
    }
    const list = this.#handlers.get(event);
    if (list) list.push(handler);
    else this.#handlers.set(event, [handler]);
    return this;
  }

  /** Removes one handler, or every handler of `event`. */
  off(event: string, handler?: AnyHandler): this {
    if (LIFECYCLE.has(event)) {
      this.#lifecycle.off(event === 'connection' ? 'connected' : event, handler);
      return this;
    }
    if (!handler) this.#handlers.delete(event);
    else {
      const list = this.#handlers.get(event)?.filter((h) => h !== handler);
      if (list?.length) this.#handlers.set(event, list);
      else this.#handlers.delete(event);
    }
    return this;
  }

  /** Adds per-event middleware for this namespace (runs after the server's). */
  use(middleware: Middleware<Socket<Listen, Emit, Data>>): this {
    this._middlewares.push(middleware as Middleware);
    return this;
  }

  /**
   * Emits to this namespace on the OTHER servers of the cluster (`onServerSideEmit`). A function
   * as last argument receives `(err, responses)` from every other server.
   */
  serverSideEmit<E extends EventNames<ServerSide>>(
    event: E,
    ...args: Parameters<ServerSide[E]>
  ): void {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const ack: ServerSideAck = (err, responses) =>
        callApp(this.ctx.reportError, last as ServerSideAck, err, responses);
      this._adapterCall((a) => a.serverSideEmit(event, args.slice(0, -1), ack));
    } else this._adapterCall((a) => a.serverSideEmit(event, args));
  }

  /** Handles `serverSideEmit(event, …)` from another server. */
  onServerSideEmit<E extends EventNames<ServerSide>>(event: E, handler: ServerSide[E]): this {
    const list = this.#serverSide.get(event);
    if (list) list.push(handler);
    else this.#serverSide.set(event, [handler]);
    return this;
  }

  /** @internal The server's `messageTimeout`: the default timeout of acks asked of clients. */
  get _messageTimeout(): number {
    return this.ctx.opts.messageTimeout;
  }

  /** @internal AdapterNamespace */
  nextAckId(): number {
    return this.ctx.ackIds.next();
  }

  /** @internal AdapterNamespace */
  receiveServerSideEmit(event: string, args: unknown[], ack?: (response: unknown) => void): void {
    for (const fn of this.#serverSide.get(event) ?? []) {
      if (ack) callApp(this.ctx.reportError, fn, ...args, ack);
      else callApp(this.ctx.reportError, fn, ...args);
    }
  }

  /** @internal server middleware then this namespace's, rebuilt only when either list grows */
  _middlewareChain(): readonly Middleware[] {
    const server = this.ctx.middlewares;
    if (this.#chain.length !== server.length + this._middlewares.length)
      this.#chain = [...server, ...this._middlewares];
    return this.#chain;
  }

  /** @internal */
  _handlers(event: string): readonly AnyHandler[] {
    return this.#handlers.get(event) ?? [];
  }

  #lastPosition = 0;

  /**
   * @internal The next position in this namespace's broadcast stream (1, 2, …; wraps within
   * 31 bits). Shared by every recoverable recipient of a broadcast.
   */
  readonly _nextPosition = (): number => {
    this.#lastPosition = this.#lastPosition >= 0x7fff_ffff ? 1 : this.#lastPosition + 1;
    return this.#lastPosition;
  };

  /** @internal a socket completed its handshake */
  _add(socket: Socket<Listen, Emit, Data>): void {
    this.sockets.set(socket.id, socket);
    this._adapterCall((a) => a.addAll(socket.id, [socket.id]));
    this.ctx.emitLifecycle('connected', socket as never);
    this._emitLifecycle('connected', socket as never);
  }

  /** @internal a socket is gone */
  _remove(socket: Socket<Listen, Emit, Data>, reason: string): void {
    if (!this.sockets.delete(socket.id)) return;
    this._adapterCall((a) => a.delAll(socket.id));
    this.ctx.emitLifecycle('disconnected', socket as never, reason);
    this._emitLifecycle('disconnected', socket as never, reason);
  }

  /** @internal */
  _emitLifecycle<E extends keyof LifecycleEvents>(event: E, ...args: LifecycleEvents[E]): void {
    this.#lifecycle.emit(this.ctx.reportError, event, ...args);
  }

  /**
   * @internal Calls the adapter (which may be the app's own): a throw or a rejected promise is
   * reported on the server's `error` event, never discarded and never thrown at the caller.
   */
  _adapterCall(call: (adapter: Adapter) => unknown): void {
    callApp(this.ctx.reportError, call, this.adapter);
  }

  /** @internal Reports a failure of app code on the server's `error` event and logger. */
  _reportError(err: unknown): void {
    this.ctx.reportError(err);
  }

  protected override _operator(): BroadcastOperator<Emit, Socket<Listen, Emit, Data>> {
    return new BroadcastOperator<Emit, Socket<Listen, Emit, Data>>([this as never]);
  }
}
