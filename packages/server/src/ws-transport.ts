// The WebSocket transport: a `ws` socket behind the Transport interface.
import type { RawData, WebSocket } from 'ws';
import type { Transport, TransportHandlers } from './transport.js';

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

  constructor(private readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data) => this.#handlers?.onMessage(toBytes(data)));
    ws.on('close', (code, reason) => this.#closeOnce(code, reason.toString()));
    // An 'error' is always followed by 'close'; listening keeps it from being an uncaught error.
    ws.on('error', () => {});
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  get open(): boolean {
    return !this.#closed && this.ws.readyState === this.ws.OPEN;
  }

  setHandlers(handlers: TransportHandlers): void {
    this.#handlers = handlers;
  }

  send(bytes: Uint8Array): void {
    if (this.open) this.ws.send(bytes, { binary: true });
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
