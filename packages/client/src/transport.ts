// The transport seam: WebSocket today, long-polling later, one small interface for both.

/** Names of the transports a client can use. */
export type TransportName = 'websocket' | 'polling';

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
 * `close(1006)` aborts at once (no closing handshake): used for dead or timed-out links.
 */
export interface Transport {
  readonly name: TransportName;
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
