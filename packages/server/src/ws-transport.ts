// The WebSocket transport: a `ws` socket behind the Transport interface.
import type { Socket } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import type { WireForms } from './shared-frame.js';
import type { Transport, TransportHandlers } from './transport.js';

/** `ws.send` options of every message (one object, not one per send). */
const BINARY = { binary: true } as const;
/** `ws` Sender state in which it writes straight through (no deflate or blob in progress). */
const SENDER_IDLE = 0;
/** Unwritten bytes past which the transport counts as saturated (Node's stream default). */
const SATURATED = 16 * 1024;

/** The `ws` internals the shared-frame fast path relies on (ws 8); absent → the public path. */
interface WsInternals {
  _socket?: Socket | null;
  _sender?: { _state?: number } | null;
}

/**
 * One unmasked, final, binary WebSocket frame (RFC 6455, section 5.2) holding `payload`: what `ws`
 * would write for `send(payload, { binary: true })` on a server without permessage-deflate.
 */
function binaryFrame(payload: Uint8Array): Buffer {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + n);
  out[0] = 0x82;
  if (head === 2) out[1] = n;
  else if (head === 4) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    out.writeUInt32BE(n >>> 0, 6);
  }
  out.set(payload, head);
  return out;
}

/** The ws socket's back reference to its transport (read by the shared listeners). */
const kTransport = Symbol('smartsocket.transport');
type WsWithTransport = WebSocket & { [kTransport]: WsTransport };
function ignore(): void {}
function onWsMessage(this: WebSocket, data: RawData): void {
  (this as WsWithTransport)[kTransport]._message(data);
}
function onWsClose(this: WebSocket, code: number, reason: Buffer): void {
  (this as WsWithTransport)[kTransport]._close(code, reason);
}
type SocketWithTransport = Socket & { [kTransport]?: WsTransport };
function onSocketDrain(this: SocketWithTransport): void {
  this[kTransport]?._drain();
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/**
 * Wraps a connected `ws` WebSocket. Text messages are delivered as their UTF-8 bytes (the
 * decoder then rejects them as malformed, as the protocol is binary).
 *
 * @example
 * const transport = new WsTransport(ws);
 */
export class WsTransport implements Transport {
  readonly name = 'websocket' as const;
  #handlers: TransportHandlers | undefined;
  #closed = false;
  /** Whether a one-time `drain` listener is on the TCP socket. */
  #awaitingDrain = false;

  constructor(private readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    // Shared listeners (no closures per connection): `this` is the ws, which points back here.
    (ws as WsWithTransport)[kTransport] = this;
    ws.on('message', onWsMessage);
    ws.on('close', onWsClose);
    // An 'error' is always followed by 'close'; listening keeps it from being an uncaught error.
    ws.on('error', ignore);
  }

  /** @internal one message from the ws socket */
  _message(data: RawData): void {
    this.#handlers?.onMessage(toBytes(data));
  }

  /** @internal the TCP socket wrote out what it held */
  _drain(): void {
    this.#awaitingDrain = false;
    if (!this.#closed) this.#handlers?.onDrain();
  }

  /** @internal the ws socket closed */
  _close(code: number, reason: Buffer): void {
    this.#closeOnce(code, reason.toString());
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  get saturated(): boolean {
    const socket = (this.ws as unknown as WsInternals)._socket;
    return socket ? socket.writableNeedDrain : this.ws.bufferedAmount >= SATURATED;
  }

  get open(): boolean {
    return !this.#closed && this.ws.readyState === this.ws.OPEN;
  }

  setHandlers(handlers: TransportHandlers): void {
    this.#handlers = handlers;
  }

  send(bytes: Uint8Array, forms?: WireForms): void {
    if (!this.open) return;
    // A broadcast frame is framed once for every recipient and written to the TCP socket in
    // one write, skipping ws's per-send header, option objects and cork/writev. Only while
    // ws's sender is idle (it always is without permessage-deflate), so order is kept; the
    // bytes still count in `ws.bufferedAmount` (it reads the socket's writable length).
    if (forms !== undefined) {
      const internals = this.ws as unknown as WsInternals;
      const socket = internals._socket;
      if (socket && internals._sender?._state === SENDER_IDLE) {
        let frame = forms.websocket;
        if (frame === undefined) forms.websocket = frame = binaryFrame(bytes);
        socket.write(frame);
        this.#watchDrain();
        return;
      }
    }
    this.ws.send(bytes, BINARY);
    this.#watchDrain();
  }

  /** When bytes stay unwritten, tells the owner once they are out (one listener at a time). */
  #watchDrain(): void {
    if (this.#awaitingDrain) return;
    const socket = (this.ws as unknown as WsInternals)._socket as SocketWithTransport | null;
    // Node emits 'drain' only after a write that returned false (`writableNeedDrain`).
    if (!socket?.writableNeedDrain) return;
    this.#awaitingDrain = true;
    socket[kTransport] = this;
    socket.once('drain', onSocketDrain);
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.CLOSED || this.ws.readyState === this.ws.CLOSING) return;
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }

  terminate(): void {
    this.ws.terminate();
  }

  #closeOnce(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#handlers?.onClose(code, reason);
  }
}
