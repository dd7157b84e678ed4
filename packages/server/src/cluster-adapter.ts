// Cross-server adapter: broadcasts, bulk socket operations and requests between nodes over a ClusterTransport.
import { SmartSocketError } from '@smartsocket/protocol';
import {
  Adapter,
  type AdapterFactory,
  type AdapterNamespace,
  type BroadcastOptions,
  type Room,
  type ServerSideAck,
  type SocketDescriptor,
  type SocketId,
} from './adapter.js';
import { type BroadcastPacket, packetFromFrame } from './broadcast-packet.js';
import {
  type ClusterAdapterOptions,
  type ResolvedClusterOptions,
  resolveClusterOptions,
} from './cluster-adapter-options.js';
import type { ClusterTransport } from './cluster-bus.js';
import { type ClusterChannels, clusterChannels } from './cluster-channels.js';
import {
  decodeEnvelope,
  decodeOptions,
  EMITTER_NODE,
  type Envelope,
  encodeEnvelope,
  encodeOptions,
  MessageType,
  type WireOptions,
} from './cluster-envelope.js';
import { rateLimitedError } from './cluster-error-log.js';
import { ClusterRequests } from './cluster-requests.js';
import { ClusterSubscriptions } from './cluster-subscriptions.js';
import type {
  ForwardedAnswer,
  ForwardedHandler,
  ForwardedRequest,
  PollingRouter,
} from './polling-forwarding.js';

// How many adapters (namespaces) use each transport, so the last one to close can close it.
const transportUsers = new WeakMap<ClusterTransport, number>();

function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}

function randomNodeId(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(8));
}

/**
 * The adapter of one namespace across several servers ("nodes"). Every operation runs on this
 * node through the in-memory {@link Adapter} and is published once on the bus; the other nodes
 * run the same local operation. A broadcast crosses the bus as the plain EVENT frame that was
 * encoded once (`BroadcastPacket.frame`); receiving nodes deliver those bytes without decoding
 * or re-encoding the data.
 *
 * Only nodes with members do work: a broadcast to exactly one room (a socket id is a room, so a
 * unicast too) goes on that room's channel, which a node subscribes to only while it has local
 * members (reference counted, batched, with a linger — see {@link ClusterSubscriptions}).
 * Broadcasts to everyone or to several rooms, broadcasts with acks and requests go on the
 * namespace channel.
 *
 * Liveness: nodes announce themselves with heartbeats on the namespace channel (`serverCount()`
 * is this node plus the nodes heard from within `heartbeatTimeout`); requests (`fetchSockets`,
 * `serverSideEmit` with ack, broadcasts with acks) carry ids, wait only for the nodes known
 * alive, and resolve with what they have when one goes silent. A node's own messages are ignored.
 *
 * Polling: a request for a session another node owns is forwarded to that node on its own
 * channel and answered with the owner's status and body ({@link forwardPolling}); the server
 * installs the handler that serves the requests forwarded here ({@link servePolling}).
 *
 * Bus failures are logged (rate-limited) and never thrown: delivery degrades to this node. While
 * the transport reports it is disconnected, requests fail at once with `ERR_CLUSTER_001`; when it
 * is back the node says hello again and resumes. `init()` after `close()` rejoins the cluster.
 *
 * @example
 * const bus = createInProcessBus();
 * const server = new SmartSocket({ port: 0, adapter: (nsp) => new ClusterAdapter(nsp, bus()) });
 */
export class ClusterAdapter extends Adapter implements PollingRouter {
  /** This node's id (16 hex digits), unique per adapter instance. */
  readonly nodeId: string;
  readonly #id: Uint8Array;
  readonly #transport: ClusterTransport;
  readonly #opts: ResolvedClusterOptions;
  readonly #channels: ClusterChannels;
  readonly #ownChannel: string;
  readonly #rooms: ClusterSubscriptions;
  readonly #logError: (message: string, err: unknown) => void;
  readonly #handler = (bytes: Uint8Array): void => this.#onMessage(bytes);
  /** node id → time last heard from (ms) */
  readonly #nodes = new Map<string, number>();
  readonly #requests = new ClusterRequests();
  #pollingHandler: ForwardedHandler | undefined;
  /** `{asker node}:{request id}` → the abort of a forwarded polling request being served here. */
  readonly #served = new Map<string, AbortController>();
  #heartbeat: ReturnType<typeof setTimeout> | undefined;
  #sweep: ReturnType<typeof setInterval> | undefined;
  #offConnection: (() => void) | undefined;
  #closed = true;

  constructor(
    nsp: AdapterNamespace,
    transport: ClusterTransport,
    options: ClusterAdapterOptions = {},
  ) {
    super(nsp);
    this.#opts = resolveClusterOptions(options);
    this.#transport = transport;
    this.#id = randomNodeId();
    this.nodeId = Buffer.from(this.#id).toString('hex');
    this.#channels = clusterChannels(this.#opts.channelPrefix, nsp.name);
    this.#ownChannel = this.#channels.node(this.nodeId);
    this.#logError = rateLimitedError(this.#opts.logger, this.#opts.errorLogInterval);
    this.#rooms = new ClusterSubscriptions(transport, this.#handler, {
      linger: this.#opts.roomLinger,
      onError: (err) => this.#logError('[cluster] room subscription failed', err),
    });
  }

  /** Room channels subscribed now or about to be (for tests and diagnostics). */
  get roomChannelCount(): number {
    return this.#rooms.size;
  }

  /**
   * Resolves when the room channels of every room joined so far are subscribed on the bus:
   * from then on, broadcasts other servers send to those rooms reach their members here.
   *
   * @example
   * socket.join('game-7');
   * await (nsp.adapter as ClusterAdapter).roomsReady();
   */
  roomsReady(): Promise<void> {
    return this.#rooms.settled();
  }

  /**
   * Subscribes to the namespace channel and this node's answer channel (and the channels of
   * rooms that already have members), then says hello. Called again after `close()`, it rejoins.
   */
  override async init(): Promise<void> {
    if (!this.#closed) return;
    this.#closed = false;
    transportUsers.set(this.#transport, (transportUsers.get(this.#transport) ?? 0) + 1);
    this.#rooms.reopen();
    for (const room of this.rooms.keys()) this.#rooms.hold(this.#channels.room(room));
    this.#offConnection = this.#transport.onConnectionChange?.((up) => this.#onConnection(up));
    await this.#transport.subscribe([this.#channels.namespace, this.#ownChannel], this.#handler);
    if (this.#closed) return;
    const period = Math.max(10, Math.min(1000, this.#opts.heartbeatTimeout / 4));
    this.#sweep = setInterval(() => this.#forgetSilentNodes(), period);
    unref(this.#sweep);
    this.#publish(MessageType.HELLO, 0, undefined);
  }

  /** Says goodbye, settles pending requests, unsubscribes; the last adapter closes the transport. */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#publish(MessageType.BYE, 0, undefined);
    this.#closed = true;
    this.#offConnection?.();
    this.#offConnection = undefined;
    clearTimeout(this.#heartbeat);
    this.#heartbeat = undefined;
    clearInterval(this.#sweep);
    this.#requests.closeAll(new SmartSocketError('ERR_CONN_006', 'Cluster adapter closed'));
    for (const served of this.#served.values()) served.abort();
    this.#served.clear();
    this.#nodes.clear();
    const channels = [this.#channels.namespace, this.#ownChannel, ...this.#rooms.channels()];
    this.#rooms.close();
    try {
      await this.#transport.unsubscribe?.(channels);
    } catch (err) {
      this.#opts.logger.warn('[cluster] unsubscribe failed', err);
    }
    const users = (transportUsers.get(this.#transport) ?? 1) - 1;
    transportUsers.set(this.#transport, users);
    if (users <= 0 && this.#opts.closeTransport) {
      try {
        await this.#transport.close();
      } catch (err) {
        this.#opts.logger.warn('[cluster] closing the transport failed', err);
      }
    }
  }

  /** This node plus every node of this namespace heard from within `heartbeatTimeout`. */
  override serverCount(): number {
    return 1 + this.#nodes.size;
  }

  override addAll(id: SocketId, rooms: Iterable<Room>): void {
    for (const room of rooms) {
      if (!this.rooms.has(room)) this.#rooms.hold(this.#channels.room(room));
      super.addAll(id, [room]);
    }
  }

  override del(id: SocketId, room: Room): void {
    super.del(id, room);
    if (!this.rooms.has(room)) this.#rooms.release(this.#channels.room(room));
  }

  override delAll(id: SocketId): void {
    const mine = [...(this.sids.get(id) ?? [])];
    super.delAll(id);
    for (const room of mine)
      if (!this.rooms.has(room)) this.#rooms.release(this.#channels.room(room));
  }

  override broadcast(packet: BroadcastPacket, opts: BroadcastOptions): void {
    if (!opts.flags?.local) {
      const channel = this.#channels.broadcast(opts);
      const body = { o: encodeOptions(opts) };
      this.#publishOn(channel, MessageType.BROADCAST, 0, body, packet.frame);
    }
    super.broadcast(packet, opts);
  }

  override broadcastWithAck(
    packet: BroadcastPacket,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: (response: unknown) => void,
  ): void {
    if (!opts.flags?.local && this.#nodes.size > 0) {
      const id = this.#requests.openAck(
        this.#nodes.keys(),
        opts.flags?.timeout ?? this.#opts.requestTimeout,
        clientCountCallback,
        ack,
      );
      this.#publish(MessageType.BROADCAST, id, { o: encodeOptions(opts) }, packet.frame);
    }
    super.broadcastWithAck(packet, opts, clientCountCallback, ack);
  }

  override async fetchSockets(opts: BroadcastOptions): Promise<SocketDescriptor[]> {
    const local = await super.fetchSockets(opts);
    if (opts.flags?.local || this.#closed) return local;
    if (!this.#connected()) throw unavailable('fetchSockets');
    if (this.#nodes.size === 0) return local;
    return new Promise((resolve, reject) => {
      const timeout = opts.flags?.timeout ?? this.#opts.requestTimeout;
      const id = this.#requests.open(this.#nodes.keys(), timeout, (err, remote) => {
        if (err) reject(err);
        else resolve(local.concat(...(remote as SocketDescriptor[][])));
      });
      this.#publish(MessageType.FETCH_SOCKETS, id, { o: encodeOptions(opts) });
    });
  }

  override addSockets(opts: BroadcastOptions, rooms: readonly Room[]): void {
    if (!opts.flags?.local) {
      this.#publish(MessageType.SOCKETS_JOIN, 0, { o: encodeOptions(opts), rooms });
    }
    super.addSockets(opts, rooms);
  }

  override delSockets(opts: BroadcastOptions, rooms: readonly Room[]): void {
    if (!opts.flags?.local) {
      this.#publish(MessageType.SOCKETS_LEAVE, 0, { o: encodeOptions(opts), rooms });
    }
    super.delSockets(opts, rooms);
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    if (!opts.flags?.local) {
      this.#publish(MessageType.DISCONNECT_SOCKETS, 0, { o: encodeOptions(opts), close });
    }
    super.disconnectSockets(opts, close);
  }

  override serverSideEmit(event: string, args: unknown[], ack?: ServerSideAck): void {
    if (ack === undefined) {
      this.#publish(MessageType.SERVER_SIDE_EMIT, 0, { ev: event, args });
      return;
    }
    if (this.#closed) {
      ack(null, []);
      return;
    }
    if (!this.#connected()) {
      ack(unavailable('serverSideEmit'), []);
      return;
    }
    if (this.#nodes.size === 0) {
      ack(null, []);
      return;
    }
    const id = this.#requests.open(this.#nodes.keys(), this.#opts.requestTimeout, ack);
    try {
      this.#publish(MessageType.SERVER_SIDE_EMIT, id, { ev: event, args });
    } catch (err) {
      // Arguments the data codec cannot carry: the caller gets the error, not a late timeout.
      this.#requests.cancel(id);
      throw err;
    }
  }

  /** Whether `node` is a live node of this namespace (heard from within `heartbeatTimeout`). */
  knows(node: string): boolean {
    return this.#nodes.has(node);
  }

  /**
   * Forwards a polling request to `node`, the owner of its session, and resolves with the
   * owner's answer. Rejects with `ERR_CLUSTER_001` when the bus is down, the node is not (or no
   * longer) live, or no answer came within `timeout` ms; aborting `signal` rejects too and tells
   * the owner to let go (a held GET is released there, its frames stay for the next GET).
   *
   * @example
   * const answer = await adapter.forwardPolling(owner, { method: 'GET', token, body }, 30_000, signal);
   */
  forwardPolling(
    node: string,
    request: ForwardedRequest,
    timeout: number,
    signal: AbortSignal,
  ): Promise<ForwardedAnswer> {
    if (this.#closed || !this.#connected()) return Promise.reject(unavailable('polling'));
    if (!this.#nodes.has(node))
      return Promise.reject(unavailable(`polling (server ${node} is not live)`));
    return new Promise((resolve, reject) => {
      const id = this.#requests.open([node], timeout, (err, answers) => {
        signal.removeEventListener('abort', onAbort);
        const answer = answers[0] as ForwardedAnswer | undefined;
        if (answer && answer.status > 0) {
          resolve(answer);
          return;
        }
        // Timed out: the owner must not answer a GET nobody waits for (its frames would be lost).
        if (err) this.#respond(node, MessageType.POLL_CANCEL, id, undefined);
        reject(unavailable(`polling (server ${node} ${err ? 'did not answer' : 'left'})`));
      });
      const onAbort = (): void => {
        this.#requests.cancel(id);
        this.#respond(node, MessageType.POLL_CANCEL, id, undefined);
        reject(new SmartSocketError('ERR_CONN_006', 'The polling request was aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const body = { m: request.method, t: request.token, ct: request.contentType };
      this.#respond(node, MessageType.POLL_REQUEST, id, body, request.body);
    });
  }

  /** Installs (or, with `undefined`, removes) the server's handler of forwarded polling requests. */
  servePolling(handler: ForwardedHandler | undefined): void {
    this.#pollingHandler = handler;
  }

  #onPollRequest(msg: Envelope, body: Record<string, unknown> | undefined): void {
    const key = `${msg.node}:${msg.requestId}`;
    const handler = this.#pollingHandler;
    const method = body?.m;
    if (!handler || (method !== 'GET' && method !== 'POST') || typeof body?.t !== 'string') {
      // Nothing here can serve it: the asker answers its client as for an unreachable owner.
      this.#respond(msg.node, MessageType.POLL_RESPONSE, msg.requestId, { s: 0 });
      return;
    }
    const served = new AbortController();
    this.#served.set(key, served);
    const request: ForwardedRequest = {
      method,
      token: body.t,
      contentType: typeof body.ct === 'string' ? body.ct : undefined,
      body: msg.tail,
    };
    handler(request, served.signal)
      .then((answer) => {
        if (this.#served.get(key) !== served) return;
        this.#served.delete(key);
        if (served.signal.aborted) return;
        const head = { s: answer.status, ct: answer.contentType };
        this.#respond(msg.node, MessageType.POLL_RESPONSE, msg.requestId, head, answer.body);
      })
      .catch((err: unknown) => {
        this.#served.delete(key);
        this.#opts.logger.error('[cluster] serving a forwarded polling request failed', err);
      });
  }

  #connected(): boolean {
    return this.#transport.connected !== false;
  }

  #onConnection(up: boolean): void {
    if (this.#closed) return;
    if (up) {
      this.#opts.logger.info('[cluster] bus connected: announcing this server');
      this.#publish(MessageType.HELLO, 0, undefined);
      return;
    }
    this.#opts.logger.warn('[cluster] bus connection lost: delivering to this node only');
    // Nobody can answer now: fail what is pending instead of letting it time out.
    this.#requests.abandonAll(unavailable('the request'));
    this.#nodes.clear();
  }

  #publish(type: MessageType, requestId: number, body: unknown, tail?: Uint8Array): void {
    this.#publishOn(this.#channels.namespace, type, requestId, body, tail);
  }

  #publishOn(
    channel: string,
    type: MessageType,
    requestId: number,
    body: unknown,
    tail?: Uint8Array,
  ): void {
    // Down: the loss was logged once; nothing is queued for later.
    if (this.#closed || !this.#connected()) return;
    this.#send(channel, encodeEnvelope(type, this.#id, requestId, body, tail));
    // Any message on the namespace channel doubles as a heartbeat (room channels do not: not
    // every node listens to them).
    if (channel !== this.#channels.namespace) return;
    if (this.#heartbeat) this.#heartbeat.refresh();
    else {
      this.#heartbeat = setTimeout(
        () => this.#publish(MessageType.HEARTBEAT, 0, undefined),
        this.#opts.heartbeatInterval,
      );
      unref(this.#heartbeat);
    }
  }

  #respond(
    to: string,
    type: MessageType,
    requestId: number,
    body: unknown,
    tail?: Uint8Array,
  ): void {
    if (this.#closed || !this.#connected()) return;
    this.#send(this.#channels.node(to), encodeEnvelope(type, this.#id, requestId, body, tail));
  }

  #send(channel: string, bytes: Uint8Array): void {
    const failed = (err: unknown): void => {
      // A publish still in flight when the server stopped fails with the connection: expected.
      if (this.#closed) this.#opts.logger.debug('[cluster] publish failed while closing', err);
      else this.#logError('[cluster] publish failed', err);
    };
    try {
      const result = this.#transport.publish(channel, bytes);
      if (result) result.catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  #forgetSilentNodes(): void {
    const oldest = Date.now() - this.#opts.heartbeatTimeout;
    for (const [node, seen] of this.#nodes) if (seen < oldest) this.#forgetNode(node);
  }

  #forgetNode(node: string): void {
    this.#nodes.delete(node);
    this.#requests.forgetNode(node);
    // Its clients are gone with it: what was held for them here is let go.
    const prefix = `${node}:`;
    for (const [key, served] of this.#served)
      if (key.startsWith(prefix)) {
        this.#served.delete(key);
        served.abort();
      }
  }

  #onMessage(bytes: Uint8Array): void {
    if (this.#closed) return;
    let msg: Envelope;
    try {
      msg = decodeEnvelope(bytes);
    } catch (err) {
      this.#opts.logger.debug('[cluster] ignoring a malformed bus message', err);
      return;
    }
    if (msg.node === this.nodeId) return;
    if (msg.type === MessageType.BYE) {
      this.#forgetNode(msg.node);
      return;
    }
    // The emitter delivers, but is not a node: never counted, never waited for.
    if (msg.node !== EMITTER_NODE) this.#nodes.set(msg.node, Date.now());
    else if (msg.type !== MessageType.BROADCAST || msg.requestId !== 0) return;
    try {
      this.#dispatch(msg);
    } catch (err) {
      this.#opts.logger.debug('[cluster] ignoring a bus message that failed', err);
    }
  }

  #dispatch(msg: Envelope): void {
    const body = msg.body as Record<string, unknown> | undefined;
    const opts = (): BroadcastOptions => decodeOptions(body?.o as WireOptions);
    switch (msg.type) {
      case MessageType.HELLO:
        // A new node: tell it (and everyone) that this one exists.
        this.#publish(MessageType.HEARTBEAT, 0, undefined);
        break;
      case MessageType.HEARTBEAT:
        break;
      case MessageType.BROADCAST:
        this.#onBroadcast(msg, opts());
        break;
      case MessageType.SOCKETS_JOIN:
        super.addSockets(opts(), toRooms(body?.rooms));
        break;
      case MessageType.SOCKETS_LEAVE:
        super.delSockets(opts(), toRooms(body?.rooms));
        break;
      case MessageType.DISCONNECT_SOCKETS:
        super.disconnectSockets(opts(), body?.close === true);
        break;
      case MessageType.FETCH_SOCKETS:
        // Never a discarded promise: a failed answer is logged (the asker times out).
        this.#onFetchSockets(msg, opts()).catch((err: unknown) =>
          this.#opts.logger.error('[cluster] answering fetchSockets failed', err),
        );
        break;
      case MessageType.SERVER_SIDE_EMIT:
        this.#onServerSideEmit(msg, body);
        break;
      case MessageType.POLL_REQUEST:
        this.#onPollRequest(msg, body);
        break;
      case MessageType.POLL_CANCEL: {
        const key = `${msg.node}:${msg.requestId}`;
        this.#served.get(key)?.abort();
        this.#served.delete(key);
        break;
      }
      default:
        this.#onResponse(msg);
    }
  }

  #onBroadcast(msg: Envelope, opts: BroadcastOptions): void {
    const packet = packetFromFrame(msg.tail);
    if (msg.requestId === 0) {
      super.broadcast(packet, opts);
      return;
    }
    super.broadcastWithAck(
      packet,
      opts,
      (count) => this.#respond(msg.node, MessageType.BROADCAST_COUNT, msg.requestId, count),
      (response) => this.#respond(msg.node, MessageType.BROADCAST_ACK, msg.requestId, response),
    );
  }

  async #onFetchSockets(msg: Envelope, opts: BroadcastOptions): Promise<void> {
    const sockets = await super.fetchSockets({ ...opts, flags: { local: true } });
    try {
      this.#respond(msg.node, MessageType.FETCH_SOCKETS_RESPONSE, msg.requestId, sockets);
    } catch (err) {
      // `socket.data` that JSON cannot carry (BigInt, cycles): answer without it.
      this.#opts.logger.warn('[cluster] socket.data of a fetched socket is not serialisable', err);
      const plain = sockets.map(({ data: _data, ...rest }) => rest);
      this.#respond(msg.node, MessageType.FETCH_SOCKETS_RESPONSE, msg.requestId, plain);
    }
  }

  #onServerSideEmit(msg: Envelope, body: Record<string, unknown> | undefined): void {
    const event = body?.ev;
    const args = body?.args;
    if (typeof event !== 'string' || !Array.isArray(args)) return;
    if (msg.requestId === 0) {
      this.nsp.receiveServerSideEmit(event, args);
      return;
    }
    let answered = false;
    this.nsp.receiveServerSideEmit(event, args, (response) => {
      if (answered) return;
      answered = true;
      this.#respond(msg.node, MessageType.SERVER_SIDE_EMIT_RESPONSE, msg.requestId, response);
    });
  }

  #onResponse(msg: Envelope): void {
    switch (msg.type) {
      case MessageType.BROADCAST_COUNT:
        if (typeof msg.body === 'number')
          this.#requests.ackCount(msg.requestId, msg.node, msg.body);
        break;
      case MessageType.BROADCAST_ACK:
        this.#requests.ackResponse(msg.requestId, msg.body);
        break;
      case MessageType.FETCH_SOCKETS_RESPONSE:
        this.#requests.answer(msg.requestId, msg.node, Array.isArray(msg.body) ? msg.body : []);
        break;
      case MessageType.SERVER_SIDE_EMIT_RESPONSE:
        this.#requests.answer(msg.requestId, msg.node, msg.body);
        break;
      case MessageType.POLL_RESPONSE: {
        const head = msg.body as { s?: unknown; ct?: unknown } | undefined;
        const answer: ForwardedAnswer = {
          status: typeof head?.s === 'number' ? head.s : 0,
          contentType: typeof head?.ct === 'string' ? head.ct : undefined,
          body: msg.tail,
        };
        this.#requests.answer(msg.requestId, msg.node, answer);
        break;
      }
    }
  }
}

function unavailable(what: string): SmartSocketError {
  return new SmartSocketError(
    'ERR_CLUSTER_001',
    `Cluster bus unavailable: ${what} cannot reach the other servers`,
  );
}

function toRooms(value: unknown): Room[] {
  return Array.isArray(value) ? value.filter((r): r is Room => typeof r === 'string') : [];
}

/**
 * The `adapter` server option for a cluster: each namespace of the server gets a
 * {@link ClusterAdapter} on `transport` (one transport per server). The transport is closed when
 * the server stops (unless `closeTransport: false`).
 *
 * @example
 * const bus = createInProcessBus();
 * const a = new SmartSocket({ port: 0, adapter: createClusterAdapter(bus()) });
 * const b = new SmartSocket({ port: 0, adapter: createClusterAdapter(bus()) });
 * a.to('lobby').emit('news', { text: 'hi' }); // reaches 'lobby' on both servers
 */
export function createClusterAdapter(
  transport: ClusterTransport,
  options: ClusterAdapterOptions = {},
): AdapterFactory {
  resolveClusterOptions(options); // validate now, at configuration time
  return (nsp) => new ClusterAdapter(nsp, transport, options);
}
