// The one shape every server transport has (WebSocket and long-polling), and its close codes.
import type { TransportName } from './server-options.js';
import type { WireForms } from './shared-frame.js';

/**
 * Close codes in transport-neutral form. They are WebSocket's numbers (RFC 6455, section 7.4) because
 * the WebSocket transport puts them on the wire; long-polling has no close frame and reports
 * the same numbers to the session layer: `NORMAL` when the session ended as asked, `ABNORMAL`
 * when the client went away without a word (it stopped polling, or its request broke).
 *
 * @example
 * transport.close(CloseCode.GOING_AWAY, 'server shutting down');
 */
export const CloseCode = {
  /** The session ended as one side asked. */
  NORMAL: 1000,
  /** The server (or the client's page) is going away. */
  GOING_AWAY: 1001,
  /** Closed without a status (a WebSocket close frame without a code). */
  NO_STATUS: 1005,
  /** The link broke: no closing handshake happened. */
  ABNORMAL: 1006,
  /** The server cut a peer that did not read its messages fast enough (`slow consumer`). */
  SLOW_CONSUMER: 4008,
} as const;

/**
 * Whether a transport's close code means an orderly end (else the link broke).
 *
 * @example
 * isCleanClose(CloseCode.ABNORMAL); // false
 */
export function isCleanClose(code: number): boolean {
  return code === CloseCode.NORMAL || code === CloseCode.NO_STATUS;
}

/** Events a transport emits, set once by its owner. */
export interface TransportHandlers {
  /** One transport message (one or more frames back to back). */
  onMessage(bytes: Uint8Array): void;
  /** The connection is gone (`code` a {@link CloseCode} or an error's close code). Called once. */
  onClose(code: number, reason: string): void;
  /** `bufferedAmount` went down after it was above zero: more may be sent. */
  onDrain(): void;
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
  /**
   * Whether the transport holds as much unwritten as it should (its own high-water mark): the
   * owner keeps further messages until `onDrain`.
   */
  readonly saturated: boolean;
  /** Whether `send` can still write. */
  readonly open: boolean;
  setHandlers(handlers: TransportHandlers): void;
  /**
   * Sends one transport message. Ignored once closed. `wire`: the bytes are a frame shared by
   * many peers, and this is its wire-form cache (a transport may frame them once for all).
   */
  send(bytes: Uint8Array, wire?: WireForms): void;
  /** Closes the connection after flushing what was sent. */
  close(code: number, reason: string): void;
  /** Closes at once, without a closing handshake. */
  terminate(): void;
}
