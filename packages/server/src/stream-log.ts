// What a recoverable socket was sent, by position: the last `messageCacheSize` packets, for replay.
import type { BroadcastPacket } from './broadcast-packet.js';

/** Top bit of a server → client position: set for namespace (broadcast) positions. */
export const BROADCAST_POSITION = 0x8000_0000;
/** Positions run 1 … 2³¹−1 in each space. */
const POSITION_MASK = 0x7fff_ffff;

/** One logged packet: a shared broadcast packet, or the plain frame of a unicast (EVENT or ACK). */
export type LoggedPacket = BroadcastPacket | Uint8Array;

/** Where a client says it is: the last unicast and namespace positions it received (0: none). */
export interface StreamPosition {
  unicast: number;
  broadcast: number;
}

/**
 * A ring of the last `capacity` packets sent to one socket with their positions. Broadcast
 * packets are the namespace's shared objects (stored once, referenced by each recipient's log);
 * unicasts are their plain frame bytes, re-sealed for the new session at replay. Volatile
 * packets never enter it. Positions are increasing in each space, and packets are kept in send
 * order, so "received" is exactly "position ≤ the client's position in that space".
 *
 * @example
 * log.add(packet, BROADCAST_POSITION | 41); log.add(plainFrame, 7);
 * log.since({ unicast: 6, broadcast: 40 }); // both, in order
 */
export class StreamLog {
  #packets: LoggedPacket[] = [];
  #positions: number[] = [];
  /** Index of the oldest entry once the ring is full. */
  #head = 0;
  /** The highest position evicted so far in each space (0: nothing evicted). */
  #evictedUnicast = 0;
  #evictedBroadcast = 0;
  /** The highest position logged in each space. */
  lastUnicast = 0;
  lastBroadcast = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.#packets.length;
  }

  /** Logs one packet sent at `position` (with {@link BROADCAST_POSITION} for namespace ones). */
  add(packet: LoggedPacket, position: number): void {
    if (position & BROADCAST_POSITION) this.lastBroadcast = position & POSITION_MASK;
    else this.lastUnicast = position;
    if (this.#packets.length < this.capacity) {
      this.#packets.push(packet);
      this.#positions.push(position);
      return;
    }
    const evicted = this.#positions[this.#head]!;
    if (evicted & BROADCAST_POSITION) this.#evictedBroadcast = evicted & POSITION_MASK;
    else this.#evictedUnicast = evicted;
    this.#packets[this.#head] = packet;
    this.#positions[this.#head] = position;
    this.#head = (this.#head + 1) % this.capacity;
  }

  /**
   * Every logged packet the client has not received, in order, or undefined when that set is not
   * whole (something it missed was evicted) or the position is one this log never gave.
   */
  since(at: StreamPosition): Array<[LoggedPacket, number]> | undefined {
    if (at.unicast > this.lastUnicast || at.broadcast > this.lastBroadcast) return undefined;
    if (this.#evictedUnicast > at.unicast || this.#evictedBroadcast > at.broadcast)
      return undefined;
    const out: Array<[LoggedPacket, number]> = [];
    const n = this.#packets.length;
    for (let k = 0; k < n; k++) {
      const i = (this.#head + k) % n;
      const position = this.#positions[i]!;
      const missed =
        position & BROADCAST_POSITION
          ? (position & POSITION_MASK) > at.broadcast
          : position > at.unicast;
      if (missed) out.push([this.#packets[i]!, position]);
    }
    return out;
  }

  /** Forgets everything (the session ended). */
  clear(): void {
    this.#packets = [];
    this.#positions = [];
    this.#head = 0;
  }
}
