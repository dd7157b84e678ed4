// The one shape every server transport has (WebSocket now, long-polling later).
import type { TransportName } from './server-options.js';

/** Events a transport emits, set once by its owner. */
export interface TransportHandlers {
  /** One transport message (one or more frames back to back). */
  onMessage(bytes: Uint8Array): void;
  /** The connection is gone (`code`/`reason` as far as known). Called once. */
  onClose(code: number, reason: string): void;
}

/**
 * A bidirectional byte pipe to one client. The session logic above it is written once.
 *
 * @example
 * transport.setHandlers({ onMessage: (b) => session.receive(b), onClose: () => session.closed() });
 * transport.send(concatFrames(frames));
 */
export interface Transport {
  readonly name: TransportName;
  /** Outgoing bytes accepted but not yet written to the network. */
  readonly bufferedAmount: number;
  /** Whether `send` can still write. */
  readonly open: boolean;
  setHandlers(handlers: TransportHandlers): void;
  /** Sends one transport message. Ignored once closed. */
  send(bytes: Uint8Array): void;
  /** Closes the connection after flushing what was sent. */
  close(code: number, reason: string): void;
  /** Closes at once, without a closing handshake. */
  terminate(): void;
}
