// The transport seam: WebSocket and long-polling behind one small interface, and its close codes.

/** Names of the transports a client can use. */
export type TransportName = 'websocket' | 'polling';

/**
 * Close codes in transport-neutral form: WebSocket's numbers (RFC 6455), which the WebSocket
 * transport uses on the wire; the polling transport reports the same numbers (`ABNORMAL` for a
 * broken request, an ERROR answer's close code for a refusal), so the session reads both alike.
 */
export const CloseCode = {
  /** Ended as one side asked. */
  NORMAL: 1000,
  /** The link broke, or is dropped at once without a closing handshake. */
  ABNORMAL: 1006,
} as const;

/** What a transport reports to the session above it. */
export interface TransportEvents {
  open: () => void;
  /** One transport message (one or more frames back to back). */
  message: (bytes: Uint8Array) => void;
  close: (code: number, reason: string) => void;
  error: (error: Error) => void;
}

/**
 * A bidirectional byte pipe to the server. `open()` starts connecting; `close()` is
 * idempotent and reports `close` at most once; after `close` nothing else is reported.
 * `close(CloseCode.ABNORMAL)` aborts at once (no closing handshake): used for dead or timed-out
 * links.
 */
export interface Transport {
  readonly name: TransportName;
  /**
   * The most bytes one transport message may hold (the server's `maxPayload`, set by the session
   * from the CONNECT answer). A transport that merges queued messages (polling) never merges
   * past it.
   */
  maxMessageBytes?: number;
  /** Bytes accepted by `send` and not yet written to the network (when the transport knows). */
  readonly bufferedAmount?: number;
  open(): void;
  send(bytes: Uint8Array): void;
  close(code?: number, reason?: string): void;
  on<E extends keyof TransportEvents>(event: E, fn: TransportEvents[E]): void;
}

/** The subset of the WHATWG WebSocket the client relies on (both `ws` and browsers provide it). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly protocol: string;
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: any) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket constructor: `new WebSocket(url, protocols)`. */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
) => WebSocketLike;
