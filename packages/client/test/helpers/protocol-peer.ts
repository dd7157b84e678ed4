// A minimal SmartSocket server for client tests: speaks the session protocol over a real `ws`
// server on 127.0.0.1:0 and lets each test script the server side (refusals, acks, silence).
import { once } from 'node:events';
import {
  decodeFrameData,
  decodeFrames,
  type ErrorCode,
  encodeFrame,
  encodeMessage,
  type Frame,
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
}

/** One client connection as the peer sees it. */
export class PeerSocket {
  readonly id = crypto.randomUUID();
  namespace = '/';
  connectBody: unknown;
  /** Every decoded frame received (after CONNECT). */
  readonly frames: Frame[] = [];
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

  send(type: FrameType, data?: unknown, extra: { event?: string; ackId?: number } = {}): void {
    this.sendRaw(encodeMessage({ type, namespace: this.namespace, data, ...extra }));
  }

  sendRaw(bytes: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  emit(event: string, data?: unknown, ackId?: number): void {
    this.send(FrameType.EVENT, data, { event, ackId });
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
  private readonly wss: WebSocketServer;
  private connectionWaiters: Array<(s: PeerSocket) => void> = [];
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
      for (const frame of frames) {
        if (!ready && frame.type === FrameType.CONNECT) {
          socket.namespace = frame.namespace;
          socket.connectBody = decodeFrameData(frame);
          ready = this.handshake(socket);
          continue;
        }
        if (frame.type === FrameType.HEARTBEAT && this.options.answerHeartbeats !== false)
          socket.sendRaw(
            encodeFrame({
              type: FrameType.HEARTBEAT_ACK,
              namespace: frame.namespace,
              data: frame.data.slice(),
            }),
          );
        socket.deliver(frame);
      }
    });
  }

  private handshake(socket: PeerSocket): boolean {
    const reply = this.options.handshake?.(socket.connectBody, socket) ?? { accept: true };
    if (reply === 'silent') return false;
    if (reply === 'garbage') {
      socket.send(FrameType.CONNECT, { hello: 'world' });
      return false;
    }
    if ('refuse' in reply) {
      socket.error({ code: reply.refuse, message: reply.message ?? reply.refuse });
      socket.ws.close(reply.closeCode ?? 1008);
      return false;
    }
    socket.send(FrameType.CONNECT, {
      sid: `sid-${socket.id}`,
      id: socket.id,
      heartbeatInterval: this.options.heartbeatInterval ?? 60_000,
      heartbeatTimeout: this.options.heartbeatTimeout ?? 5_000,
      maxPayload: this.options.maxPayload ?? 16 * 1024 * 1024,
      recovered: false,
      caps: { compression: [] },
    });
    for (const w of this.readyWaiters.splice(0)) w(socket);
    return true;
  }
}
