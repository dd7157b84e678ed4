// A minimal SmartSocket server for client tests: speaks the session protocol over a real `ws`
// server on 127.0.0.1:0 and lets each test script the server side (refusals, acks, silence).
// With `keys` it seals and opens like an encrypting server; with `compression` it answers deflate
// and compresses sections over the threshold (node:zlib and @smartsocket/crypto directly, not
// the client's codec).
import { once } from 'node:events';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  answerKey,
  type CipherKey,
  decodeSessionNonce,
  encodeSessionNonce,
  groupKey,
  NonceKind,
  openFrame,
  parseKey,
  randomSessionNonce,
  type SectionSealer,
  SequencedKey,
  SessionCipher,
  sealFrame,
} from '@smartsocket/crypto';
import {
  decodeFrameData,
  decodeFrames,
  type ErrorCode,
  encodeData,
  encodeFrame,
  type Frame,
  FrameFlag,
  type FrameHead,
  FrameType,
  SUBPROTOCOL,
} from '@smartsocket/protocol';
import { WebSocket, WebSocketServer } from 'ws';

/** What the peer does with a CONNECT: answer it, refuse it, ignore it or answer garbage. */
export type HandshakeReply =
  | { accept: true }
  | { refuse: ErrorCode; message?: string; closeCode?: number }
  | 'silent'
  | 'garbage';

export interface PeerOptions {
  handshake?: (body: unknown, socket: PeerSocket) => HandshakeReply;
  heartbeatInterval?: number;
  heartbeatTimeout?: number;
  maxPayload?: number;
  /** Answer client HEARTBEATs (default true). */
  answerHeartbeats?: boolean;
  /**
   * Encryption keys (base64) accepted for CONNECT, the first one current. A socket keeps the
   * key its CONNECT opened with. A CONNECT that is unsealed or opens with none of them gets an
   * unsealed ERROR `ERR_CONN_004` and close 4001, as the server does.
   */
  keys?: string[];
  /** Answer `caps.compression: ['deflate']` when the client announced it (default false). */
  compression?: boolean;
  /** Answer as a sequenced session (`caps.seq`, `session: 'tok-<id>'`, `received: 0`). */
  sequencing?: boolean;
  /** Compress sections above this many bytes when deflate was agreed (default 1024). */
  compressionThreshold?: number;
}

/** One client connection as the peer sees it. */
export class PeerSocket {
  readonly id = crypto.randomUUID();
  namespace = '/';
  connectBody: unknown;
  /** Every frame received after CONNECT, opened and inflated (plain flags and section). */
  readonly frames: Frame[] = [];
  /** The same frames as they came over the wire (flags and section untouched). */
  readonly wire: Frame[] = [];
  /** Frames after CONNECT that did not open (unsealed, tampered) or inflate. */
  readonly badFrames: Frame[] = [];
  /** The CONNECT frame as received. */
  connectFrame: Frame | undefined;
  /** The shared key this socket's CONNECT opened with (undefined: plain). */
  key: CipherKey | undefined;
  /** The session keys derived from `key` and both nonces once the answer is sent. */
  cipher: SessionCipher | undefined;
  /** True when deflate was agreed in the handshake. */
  compressing = false;
  /** Every WebSocket message sent to the client, as sent. */
  readonly sent: Uint8Array[] = [];
  /** Number of WebSocket messages received (to observe batching). */
  messageCount = 0;
  private waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  private seen = 0;

  constructor(
    readonly ws: WebSocket,
    private readonly peer: ProtocolPeer,
  ) {}

  /** Resolves with the next frame (received from now on or not yet consumed) matching `match`. */
  nextFrame(match: (f: Frame) => boolean = () => true): Promise<Frame> {
    for (let i = this.seen; i < this.frames.length; i++) {
      const frame = this.frames[i]!;
      if (match(frame)) {
        this.seen = i + 1;
        return Promise.resolve(frame);
      }
    }
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Resolves with the data and ack id of the next EVENT named `event`. */
  async nextEvent(event: string): Promise<{ data: unknown; ackId: number | undefined }> {
    const frame = await this.nextFrame((f) => f.type === FrameType.EVENT && f.event === event);
    return { data: decodeFrameData(frame), ackId: frame.ackId };
  }

  deliver(frame: Frame): void {
    this.frames.push(frame);
    const i = this.waiters.findIndex((w) => w.match(frame));
    if (i >= 0) {
      this.seen = this.frames.length;
      this.waiters.splice(i, 1)[0]!.resolve(frame);
    }
  }

  /**
   * Sends a frame the way the server would: compressed when agreed and over the threshold
   * (`compress` forces it on or off), sealed with the session key unless `plain`.
   */
  send(
    type: FrameType,
    data?: unknown,
    extra: { event?: string; ackId?: number } = {},
    opts: { compress?: boolean; plain?: boolean; sealer?: SectionSealer } = {},
  ): void {
    const section = encodeData(data);
    const head: FrameHead = {
      type,
      namespace: this.namespace,
      ...extra,
      flags: section.binary ? FrameFlag.BINARY : 0,
    };
    this.sendSection(head, section.bytes, opts);
  }

  /** Sends an already encoded data section (see {@link send} for `opts`). */
  sendSection(
    head: FrameHead,
    bytes: Uint8Array,
    opts: { compress?: boolean; plain?: boolean; sealer?: SectionSealer } = {},
  ): void {
    let data = bytes;
    let flags = head.flags ?? 0;
    const threshold = this.peer.options.compressionThreshold ?? 1024;
    if (opts.compress ?? (this.compressing && bytes.length > threshold)) {
      data = deflateRawSync(bytes);
      flags |= FrameFlag.COMPRESSED;
    }
    const out = { ...head, flags };
    const sealer = this.key && !opts.plain ? (opts.sealer ?? this.cipher ?? this.key) : undefined;
    this.sendRaw(sealer ? sealFrame(sealer, out, data) : encodeFrame({ ...out, data }));
  }

  sendRaw(bytes: Uint8Array): void {
    this.sent.push(bytes);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  /** Opens (and inflates) a received frame; throws when it does not open. */
  open(frame: Frame): Frame {
    let data = frame.data;
    if (this.key) data = openFrame(this.cipher ?? this.key, frame);
    else if (frame.flags & FrameFlag.ENCRYPTED) throw new Error('sealed frame, no key');
    if (frame.flags & FrameFlag.COMPRESSED) data = inflateRawSync(data);
    return {
      ...frame,
      flags: frame.flags & ~(FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED),
      data: new Uint8Array(data),
    };
  }

  /** Sends an EVENT sealed with the peer's group key for this socket's key (a broadcast). */
  broadcast(event: string, data?: unknown): Uint8Array {
    const head = { type: FrameType.EVENT, namespace: this.namespace, event };
    const bytes = sealFrame(this.peer.group(this.key!), head, encodeData(data).bytes);
    this.sendRaw(bytes);
    return bytes;
  }

  emit(event: string, data?: unknown, ackId?: number, opts: { compress?: boolean } = {}): void {
    this.send(FrameType.EVENT, data, { event, ackId }, opts);
  }

  ack(ackId: number, data?: unknown): void {
    this.send(FrameType.ACK, data, { ackId });
  }

  error(payload: {
    code: ErrorCode;
    message: string;
    ackId?: number;
    event?: string;
    retryAfter?: number;
  }): void {
    this.send(FrameType.ERROR, payload);
  }

  /** Sends DISCONNECT (sealed when the session is) and closes. */
  disconnect(reason: string, reconnect: boolean): void {
    this.send(FrameType.DISCONNECT, { reason, reconnect });
    this.ws.close(1000);
  }

  /** Drops the connection without a closing handshake (a lost network). */
  terminate(): void {
    this.ws.terminate();
  }

  get options(): PeerOptions {
    return this.peer.options;
  }
}

/**
 * Test server speaking the SmartSocket session protocol.
 *
 * @example
 * const peer = await ProtocolPeer.start();
 * const client = new SmartSocketClient(peer.url);
 * const socket = peer.nextConnection(); await client.connect(); (await socket).emit('hi', 1);
 */
export class ProtocolPeer {
  readonly sockets: PeerSocket[] = [];
  /** Number of WebSocket upgrades seen (accepted or not). */
  upgrades = 0;
  /** CONNECTs refused for a wrong or missing encryption key. */
  refusals = 0;
  private readonly wss: WebSocketServer;
  private connectionWaiters: Array<(s: PeerSocket) => void> = [];
  private readonly groups = new Map<CipherKey, { salt: Uint8Array; key: SequencedKey }>();
  private readyWaiters: Array<(s: PeerSocket) => void> = [];

  private constructor(
    readonly options: PeerOptions,
    wss: WebSocketServer,
  ) {
    this.wss = wss;
    wss.on('connection', (ws) => this.onConnection(ws));
  }

  static async start(options: PeerOptions = {}): Promise<ProtocolPeer> {
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      path: '/smartsocket',
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
    await once(wss, 'listening');
    return new ProtocolPeer(options, wss);
  }

  get port(): number {
    return (this.wss.address() as { port: number }).port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Resolves with the next socket whose WebSocket opens. */
  nextConnection(): Promise<PeerSocket> {
    return new Promise((resolve) => this.connectionWaiters.push(resolve));
  }

  /** The broadcast group key of sessions on `key` (created on first use). */
  group(key: CipherKey): SequencedKey {
    return this.groupOf(key).key;
  }

  private groupOf(key: CipherKey): { salt: Uint8Array; key: SequencedKey } {
    let group = this.groups.get(key);
    if (!group) {
      const salt = randomSessionNonce();
      group = { salt, key: new SequencedKey(groupKey(key, salt), NonceKind.GROUP) };
      this.groups.set(key, group);
    }
    return group;
  }

  /** Resolves with the next socket whose handshake the peer accepts. */
  nextReady(): Promise<PeerSocket> {
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(ws: WebSocket): void {
    this.upgrades++;
    const socket = new PeerSocket(ws, this);
    this.sockets.push(socket);
    for (const w of this.connectionWaiters.splice(0)) w(socket);
    let ready = false;
    ws.on('message', (raw: Buffer) => {
      socket.messageCount++;
      let frames: Frame[];
      try {
        frames = decodeFrames(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
      } catch {
        ws.close(1002);
        return;
      }
      for (const received of frames) {
        if (!ready && received.type === FrameType.CONNECT) {
          socket.namespace = received.namespace;
          socket.connectFrame = received;
          if (!this.openConnect(socket, received)) return;
          ready = this.handshake(socket);
          continue;
        }
        socket.wire.push(received);
        let frame: Frame;
        try {
          frame = socket.open(received);
        } catch {
          socket.badFrames.push(received);
          continue;
        }
        if (frame.type === FrameType.HEARTBEAT && this.options.answerHeartbeats !== false)
          socket.sendSection(
            { type: FrameType.HEARTBEAT_ACK, namespace: frame.namespace, flags: frame.flags },
            frame.data.slice(),
          );
        socket.deliver(frame);
      }
    });
  }

  /** Opens the CONNECT with one of `keys` (refusing like the server when none fits). */
  private openConnect(socket: PeerSocket, frame: Frame): boolean {
    const keys = this.options.keys;
    if (!keys) {
      socket.connectBody = decodeFrameData(frame);
      return true;
    }
    for (const text of keys) {
      const key = this.parsed(text);
      try {
        socket.connectBody = decodeFrameData({
          flags: frame.flags & FrameFlag.BINARY,
          data: openFrame(key, frame),
        });
        socket.key = key;
        return true;
      } catch {
        // next key
      }
    }
    this.refusals++;
    socket.error({ code: 'ERR_CONN_004', message: 'Authentication failed: bad encryption key' });
    socket.ws.close(4001, 'bad encryption key');
    return false;
  }

  private readonly keyCache = new Map<string, CipherKey>();

  /** One CipherKey per key text, so sessions on the same key share its broadcast group. */
  private parsed(text: string): CipherKey {
    let key = this.keyCache.get(text);
    if (!key) this.keyCache.set(text, (key = parseKey(text)));
    return key;
  }

  private handshake(socket: PeerSocket): boolean {
    const reply = this.options.handshake?.(socket.connectBody, socket) ?? { accept: true };
    if (reply === 'silent') return false;
    if (reply === 'garbage') {
      socket.send(FrameType.CONNECT, { hello: 'world' });
      return false;
    }
    const body = socket.connectBody as { caps?: { compression?: unknown } } | undefined;
    const announced = Array.isArray(body?.caps?.compression)
      ? (body.caps.compression as unknown[])
      : [];
    socket.compressing = this.options.compression === true && announced.includes('deflate');
    if ('refuse' in reply) {
      socket.error({ code: reply.refuse, message: reply.message ?? reply.refuse });
      socket.ws.close(reply.closeCode ?? 1008);
      return false;
    }
    const answer: Record<string, unknown> = {
      sid: `sid-${socket.id}`,
      id: socket.id,
      heartbeatInterval: this.options.heartbeatInterval ?? 60_000,
      heartbeatTimeout: this.options.heartbeatTimeout ?? 5_000,
      maxPayload: this.options.maxPayload ?? 16 * 1024 * 1024,
      recovered: false,
      caps: {
        compression: socket.compressing ? ['deflate'] : [],
        ...(this.options.sequencing ? { seq: true } : {}),
      },
      ...(this.options.sequencing ? { session: `tok-${socket.id}`, received: 0 } : {}),
    };
    const key = socket.key;
    const clientNonce = decodeSessionNonce((body as { nonce?: unknown } | undefined)?.nonce);
    if (key && clientNonce) {
      // The session key schedule, as the server does it (docs/PROTOCOL.md, "Session keys").
      const serverNonce = randomSessionNonce();
      const group = this.groupOf(key);
      answer.nonce = encodeSessionNonce(serverNonce);
      answer.group = { salt: encodeSessionNonce(group.salt), seq: group.key.counter };
      socket.send(FrameType.CONNECT, answer, {}, { sealer: answerKey(key, clientNonce) });
      socket.cipher = SessionCipher.forServer(key, clientNonce, serverNonce);
    } else socket.send(FrameType.CONNECT, answer);
    for (const w of this.readyWaiters.splice(0)) w(socket);
    return true;
  }
}
