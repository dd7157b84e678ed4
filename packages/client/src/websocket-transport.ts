// WebSocket transport: wraps any WHATWG-style WebSocket (browser or `ws`) behind Transport.
import { SUBPROTOCOL } from '@smartsocket/protocol';
import { EventEmitter } from 'eventemitter3';
import type {
  Transport,
  TransportEvents,
  WebSocketConstructor,
  WebSocketLike,
} from './transport.js';

const OPEN = 1;

/** `ws` (Node) 'message' listener: a Buffer for binary messages with binaryType 'nodebuffer'. */
type NodeMessageListener = (data: unknown, isBinary: boolean) => void;

/** The EventEmitter side of the `ws` library's WebSocket. */
interface NodeEmitterSocket {
  on(event: 'message', fn: NodeMessageListener): unknown;
  off?(event: 'message', fn: NodeMessageListener): unknown;
}

/** Binary WebSocket speaking the `smartsocket-v1` subprotocol. */
export class WebSocketTransport implements Transport {
  readonly name = 'websocket' as const;
  private readonly events = new EventEmitter<TransportEvents>();
  private ws: WebSocketLike | undefined;

  /** What the WebSocket has not written yet (0 when it does not say). */
  get bufferedAmount(): number {
    return (this.ws as { bufferedAmount?: number } | undefined)?.bufferedAmount ?? 0;
  }
  private closed = false;
  private onMessage: TransportEvents['message'] | undefined;
  /** The `ws` 'message' listener when the Node fast path is in use (removed on close). */
  private nodeListener: NodeMessageListener | undefined;

  constructor(
    private readonly url: string,
    private readonly WebSocketImpl: WebSocketConstructor,
  ) {}

  on<E extends keyof TransportEvents>(event: E, fn: TransportEvents[E]): void {
    // The one hot listener is called directly (no emitter in the per-message path).
    if (event === 'message' && !this.onMessage) this.onMessage = fn as TransportEvents['message'];
    else this.events.on(event, fn as never);
  }

  open(): void {
    let ws: WebSocketLike;
    try {
      ws = new this.WebSocketImpl(this.url, [SUBPROTOCOL]);
    } catch (err) {
      // Constructors throw synchronously on a malformed URL; report it like a failed open.
      queueMicrotask(() => this.finish(1006, String(err), err as Error));
      return;
    }
    this.ws = ws;
    const onNodeMessage = this.listenNode(ws);
    ws.onopen = () => {
      if (this.closed) return;
      if (ws.protocol !== SUBPROTOCOL) {
        this.events.emit('error', new Error('Server did not accept subprotocol smartsocket-v1'));
        this.close(1002, 'subprotocol not accepted');
        return;
      }
      this.events.emit('open');
    };
    if (!onNodeMessage)
      ws.onmessage = (ev) => {
        if (this.closed) return;
        const data = ev.data;
        if (data instanceof ArrayBuffer) this.deliver(new Uint8Array(data));
        else if (ArrayBuffer.isView(data))
          this.deliver(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        else this.events.emit('error', new Error('Text message received on a binary protocol'));
      };
    ws.onerror = (ev) => {
      if (this.closed) return;
      const err = (ev as { error?: unknown })?.error;
      this.events.emit('error', err instanceof Error ? err : new Error('WebSocket error'));
    };
    ws.onclose = (ev) => this.finish(ev.code, ev.reason);
  }

  send(bytes: Uint8Array): void {
    if (!this.closed && this.ws?.readyState === OPEN) this.ws.send(bytes);
  }

  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    const ws = this.ws;
    this.finish(code, reason);
    if (!ws) return;
    const terminate = (ws as { terminate?: () => void }).terminate;
    // An abnormal close skips the closing handshake (`ws` would otherwise wait up to 30 s).
    if (code === 1006 && typeof terminate === 'function') {
      terminate.call(ws);
      return;
    }
    try {
      ws.close(code === 1006 ? 1000 : code, reason);
    } catch {
      // Browsers refuse codes outside 1000/3000-4999; fall back to a plain close.
      ws.close();
    }
  }

  /**
   * With the `ws` library (Node), messages arrive as Buffers through its EventEmitter API: no
   * ArrayBuffer copy and no MessageEvent per message. Only a socket with the EventEmitter API is
   * offered 'nodebuffer': browsers log a warning for that unknown binaryType, so they get
   * 'arraybuffer' and the WHATWG path. Returns the listener it installed (undefined: WHATWG path).
   */
  private listenNode(ws: WebSocketLike): NodeMessageListener | undefined {
    const node = ws as WebSocketLike & Partial<NodeEmitterSocket>;
    if (typeof node.on === 'function') {
      try {
        ws.binaryType = 'nodebuffer';
      } catch {
        // Some engines throw on an unknown binaryType instead of ignoring it.
      }
    }
    if (ws.binaryType !== 'nodebuffer' || typeof node.on !== 'function') {
      ws.binaryType = 'arraybuffer';
      return undefined;
    }
    const listener: NodeMessageListener = (data, isBinary) => {
      if (this.closed) return;
      // A plain view (no copy): slicing a Buffer goes through its subclass constructor.
      if (isBinary && data instanceof Uint8Array)
        this.deliver(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      else if (!isBinary)
        this.events.emit('error', new Error('Text message received on a binary protocol'));
    };
    node.on('message', listener);
    this.nodeListener = listener;
    return listener;
  }

  private deliver(bytes: Uint8Array): void {
    this.onMessage?.(bytes);
  }

  private finish(code: number, reason: string, error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    if (error) this.events.emit('error', error);
    this.events.emit('close', code, reason);
    this.events.removeAllListeners();
    this.onMessage = undefined;
    if (this.ws && this.nodeListener) {
      (this.ws as WebSocketLike & NodeEmitterSocket).off?.('message', this.nodeListener);
      this.nodeListener = undefined;
    }
    if (this.ws) {
      this.ws.onopen = this.ws.onmessage = this.ws.onclose = null;
      // Keep an error handler: `ws` throws on an 'error' event nobody listens to.
      this.ws.onerror = () => {};
    }
  }
}
