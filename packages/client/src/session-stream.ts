// The client's side of a sequenced session: positions received, frames kept until the server has them.
import { FrameFlag, type MessageInit } from '@smartsocket/protocol';

/** Top bit of a server → client position: a namespace (broadcast) position. */
const BROADCAST_POSITION = 0x8000_0000;
const POSITION_MASK = 0x7fff_ffff;

/** A frame sent on a sequenced session, kept until the server reports it received. */
interface Unacked {
  msg: MessageInit & { seq: number };
  compress: boolean;
}

/** What the client asks for in CONNECT to recover its session. */
export interface ResumeRequest {
  token: string;
  /** The last unicast position received. */
  u: number;
  /** The last namespace (broadcast) position received. */
  b: number;
}

/**
 * Lives as long as the client (across connections). On a sequenced session every EVENT and ACK
 * the client sends gets the next sequence number and is kept until a HEARTBEAT `{ r }` (or a
 * recovery answer's `received`) says the server has it; every EVENT or ACK it receives carries a
 * position, and one at or below the last one of its space is a duplicate. `limit` bounds what
 * is kept (oldest forgotten first: beyond it, a reconnection can no longer resend it).
 *
 * @example
 * const stream = new SessionStream(1000);
 * const msg = stream.stamp({ type: FrameType.EVENT, event: 'x' }); // msg.seq === 1
 * stream.keep(msg, true);
 */
export class SessionStream {
  /** Whether the current (or last) session is sequenced. */
  active = false;
  #token: string | undefined;
  #unicast = 0;
  #broadcast = 0;
  #nextSeq = 0;
  #unacked: Unacked[] = [];

  constructor(private readonly limit: number) {}

  /** Frames sent and not yet known to be received. */
  get unacked(): number {
    return this.#unacked.length;
  }

  /** The CONNECT `session` field: present once a sequenced session has been opened. */
  request(): ResumeRequest | undefined {
    return this.#token === undefined
      ? undefined
      : { token: this.#token, u: this.#unicast, b: this.#broadcast };
  }

  /**
   * The server answered CONNECT: `token` (undefined: not sequenced), whether it recovered the
   * session, and the last client sequence number it has. Returns what to resend, in order (on
   * a fresh session: nothing, and everything kept is forgotten).
   */
  begin(token: string | undefined, recovered: boolean, received: number): Array<Unacked> {
    this.active = token !== undefined;
    this.#token = token;
    if (!this.active || !recovered) {
      this.#unicast = this.#broadcast = this.#nextSeq = 0;
      this.#unacked = [];
      return [];
    }
    this.acknowledged(received);
    return this.#unacked.slice();
  }

  /** Forgets everything (`disconnect()`): the next connection starts a new session. */
  reset(): void {
    this.begin(undefined, false, 0);
  }

  /** `msg` with the next sequence number (not kept until {@link keep} says it was sent). */
  stamp(msg: MessageInit): MessageInit & { seq: number } {
    return { ...msg, seq: this.#nextSeq + 1 };
  }

  /** A stamped frame was sent: keep it for resending until the server has it. */
  keep(msg: MessageInit & { seq: number }, compress: boolean): void {
    this.#nextSeq = msg.seq;
    this.#unacked.push({ msg, compress });
    if (this.#unacked.length > this.limit) this.#unacked.shift();
  }

  /** The server has every frame up to sequence number `r`. */
  acknowledged(r: number): void {
    let n = 0;
    while (n < this.#unacked.length && this.#unacked[n]!.msg.seq <= r) n++;
    if (n > 0) this.#unacked.splice(0, n);
  }

  /**
   * Records a received frame's position; false for a duplicate (at or below the last position
   * of its space). Frames without a position (volatile, or not sequenced) are always new.
   */
  received(frame: { flags: number; seq?: number | undefined }): boolean {
    if ((frame.flags & FrameFlag.SEQ) === 0 || frame.seq === undefined) return true;
    if (frame.seq & BROADCAST_POSITION) {
      const position = frame.seq & POSITION_MASK;
      if (position <= this.#broadcast) return false;
      this.#broadcast = position;
      return true;
    }
    if (frame.seq <= this.#unicast) return false;
    this.#unicast = frame.seq;
    return true;
  }
}
