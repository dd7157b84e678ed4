// Pending acknowledgements of one socket: ack id → callback, with optional timeouts.
import { SmartSocketError } from '@smartsocket/protocol';

/** Called with the client's response, or with an error (timeout, disconnect). */
export type AckCallback = (err: SmartSocketError | null, response?: unknown) => void;

interface Pending {
  cb: AckCallback;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Broadcast acks are not failed on disconnect: the broadcaster's own timeout covers them. */
  failOnClose: boolean;
  /** Broadcast acks: epoch ms after which `prune` drops the entry silently (else Infinity). */
  expiresAt: number;
}

/**
 * Outgoing acks of one socket. Each id resolves at most once; an answer for an unknown (or
 * already answered / timed out) id returns false so the caller can log `ERR_ACK_003`.
 *
 * @example
 * acks.add(7, (err, res) => …, 5000);
 * acks.resolve(7, { ok: true }); // true
 */
export class AckRegistry {
  readonly #pending = new Map<number, Pending>();
  #expiring = 0;

  get size(): number {
    return this.#pending.size;
  }

  /** Registers `cb` for `id`; with `timeout`, it gets `ERR_ACK_001` if no answer comes in time. */
  add(id: number, cb: AckCallback, timeout?: number, failOnClose = true): void {
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(() => {
            this.#pending.delete(id);
            cb(new SmartSocketError('ERR_ACK_001', 'Acknowledgment timeout', { ackId: id }));
          }, timeout);
    this.#pending.set(id, { cb, timer, failOnClose, expiresAt: Number.POSITIVE_INFINITY });
  }

  /**
   * Registers a broadcast ack: no timer per socket (the broadcaster has one for all recipients);
   * an unanswered entry is dropped silently by `prune` once `expiresAt` has passed, so a client
   * that ignores broadcast acks does not grow this map.
   */
  addBroadcast(id: number, cb: AckCallback, expiresAt: number): void {
    if (!this.#pending.has(id)) this.#expiring++;
    this.#pending.set(id, { cb, timer: undefined, failOnClose: false, expiresAt });
  }

  /** Drops expired broadcast entries (run from the shared sweep timer). */
  prune(now: number): void {
    if (this.#expiring === 0) return;
    for (const [id, entry] of this.#pending) {
      if (entry.expiresAt <= now) {
        this.#pending.delete(id);
        this.#expiring--;
      }
    }
  }

  /** Delivers an answer; false when `id` is not pending. */
  resolve(id: number, response: unknown): boolean {
    const entry = this.#pending.get(id);
    if (!entry) return false;
    this.#pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    if (entry.expiresAt !== Number.POSITIVE_INFINITY) this.#expiring--;
    entry.cb(null, response);
    return true;
  }

  /** Fails one pending ack with `err` now; false when `id` is not pending. */
  fail(id: number, err: SmartSocketError): boolean {
    const entry = this.#pending.get(id);
    if (!entry) return false;
    this.#pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    if (entry.expiresAt !== Number.POSITIVE_INFINITY) this.#expiring--;
    entry.cb(err);
    return true;
  }

  /** Clears every timer; unicast acks get `ERR_CONN_006` (the socket is gone). */
  clear(): void {
    const entries = [...this.#pending.values()];
    this.#pending.clear();
    this.#expiring = 0;
    for (const entry of entries) {
      if (entry.timer) clearTimeout(entry.timer);
      if (entry.failOnClose) entry.cb(new SmartSocketError('ERR_CONN_006', 'Socket disconnected'));
    }
  }
}
