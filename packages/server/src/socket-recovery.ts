// The sequencing state of one recoverable socket: positions given, sequence numbers seen, token.
import { newSessionToken } from './session-store.js';
import { StreamLog } from './stream-log.js';

/**
 * What a recoverable socket keeps across connections: the log of what it was sent, the last
 * unicast position it gave, the last client sequence number it accepted (duplicates at or below
 * it are dropped) and how far that was reported back, and its current secret session token.
 *
 * @example
 * socket._recovery = new SocketRecovery(opts.messageCacheSize);
 */
export class SocketRecovery {
  readonly log: StreamLog;
  /** The last unicast position given (EVENTs and ACKs to this client). */
  lastUnicast = 0;
  /** The last client → server sequence number accepted. */
  received = 0;
  /** The last `received` value the client was told about. */
  reported = 0;
  /** The single-use token a client presents to recover this session. */
  token = newSessionToken();
  /**
   * After a recovery, the token it used, until the client shows it got the new one (its first
   * frame on the new link): an answer lost in the next cut must not lose the session.
   */
  previous: string | undefined;

  constructor(capacity: number) {
    this.log = new StreamLog(capacity);
  }

  /**
   * Whether a client frame with sequence number `seq` is new (then it is counted); false for a
   * duplicate of one already accepted (resent after a reconnection).
   */
  /** Every token that names this session now. */
  tokens(): string[] {
    return this.previous === undefined ? [this.token] : [this.token, this.previous];
  }

  accept(seq: number): boolean {
    if (seq <= this.received) return false;
    this.received = seq;
    return true;
  }
}
