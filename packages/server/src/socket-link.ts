// What a socket needs from the connection it writes to (a small interface: no import cycle).
import type { CipherKey } from '@smartsocket/crypto';
import type { SmartSocketError } from '@smartsocket/protocol';
import type { ConnectionRequest } from './connection-request.js';
import type { PeerContext } from './frame-pipeline.js';
import type { WireForms } from './shared-frame.js';
import type { Transport } from './transport.js';

/**
 * The link under a socket: one transport connection (the `Connection` class). A recovered
 * socket moves to a new link; the socket only ever sees this shape.
 *
 * @example
 * link.write(pipeline.encode(msg, link), false, ackId);
 */
export interface SocketLink extends PeerContext {
  readonly transport: Transport;
  /** Where the link came from (address, headers, url). */
  readonly request: ConnectionRequest;
  /** The shared key the CONNECT opened with (encryption on). */
  readonly key: CipherKey | undefined;
  /** The outgoing queue: bytes queued plus unwritten. */
  readonly queue: { readonly pendingBytes: number };
  /**
   * Queues one encoded frame; false when dropped. `ackId`: the ack it waits for; `wire`: the
   * wire-form cache of a frame shared by many peers.
   */
  write(bytes: Uint8Array, volatile?: boolean, ackId?: number, wire?: WireForms): boolean;
  /** Queues one replayed frame of a recovered session (outside the bound). */
  replay(bytes: Uint8Array): void;
  /** Sends an ERROR frame. */
  sendError(err: SmartSocketError, namespace?: string): void;
  /** Sends ERROR, then closes with the error's close code. */
  fail(err: SmartSocketError, reason?: string): void;
  /** Flushes and closes; `reason` goes to `disconnected`. */
  close(code: number, reason: string): void;
  /** Drops the link at once, leaving its socket alone (the session moved to another link). */
  abandon(): void;
}
