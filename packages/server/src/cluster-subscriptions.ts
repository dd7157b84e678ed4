// Room channel subscriptions of one cluster adapter: reference counted, batched, lingering.
import type { ClusterTransport } from './cluster-bus.js';

/** Options of {@link ClusterSubscriptions}. */
export interface ClusterSubscriptionsOptions {
  /** Ms (at least; at most twice) a channel stays subscribed after its last holder left. */
  linger: number;
  /** Receives a failed subscribe/unsubscribe batch. */
  onError(err: unknown): void;
}

function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}

/**
 * Keeps the transport subscribed to the channels that have at least one holder. `hold` and
 * `release` only count; the transport sees one SUBSCRIBE per event-loop turn for every channel
 * that gained its first holder, and one UNSUBSCRIBE per linger period for every channel that
 * has had no holder for at least `linger` ms (at most twice that). A channel released and held again within the linger is
 * never unsubscribed, so join/leave churn does not reach the backend.
 *
 * @example
 * const subs = new ClusterSubscriptions(transport, onMessage, { linger: 1000, onError });
 * subs.hold('p#/#room#lobby#'); // subscribed on the next turn
 * subs.release('p#/#room#lobby#'); // unsubscribed 1-2 s later unless held again
 */
export class ClusterSubscriptions {
  /** channel → holders */
  readonly #count = new Map<string, number>();
  /** Channels the transport is (or is being) subscribed to. */
  readonly #live = new Set<string>();
  /** channel → the linger period in which its last holder left (channels in their linger). */
  readonly #idle = new Map<string, number>();
  /** Linger periods elapsed: the sweep runs once per `linger` ms while channels are idle. */
  #period = 0;
  readonly #toSubscribe = new Set<string>();
  #flush: ReturnType<typeof setImmediate> | undefined;
  /** The SUBSCRIBE batch on its way to the backend. */
  #inflight: Promise<void> | undefined;
  #sweep: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(
    private readonly transport: ClusterTransport,
    private readonly handler: (bytes: Uint8Array) => void,
    private readonly opts: ClusterSubscriptionsOptions,
  ) {}

  /** Channels subscribed now or about to be (for tests and diagnostics). */
  get size(): number {
    return this.#live.size + this.#toSubscribe.size;
  }

  /**
   * Resolves when every channel held so far is subscribed at the backend (or its batch failed):
   * after it, broadcasts from other nodes to those rooms reach this node.
   */
  async settled(): Promise<void> {
    for (let i = 0; i < 100 && (this.#flush || this.#inflight); i++) {
      if (this.#inflight) await this.#inflight;
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** One more holder of `channel`. */
  hold(channel: string): void {
    if (this.#closed) return;
    const n = (this.#count.get(channel) ?? 0) + 1;
    this.#count.set(channel, n);
    if (n > 1) return;
    this.#idle.delete(channel);
    if (this.#live.has(channel)) return;
    this.#toSubscribe.add(channel);
    this.#flush ??= setImmediate(() => this.#subscribeBatch());
  }

  /** One holder fewer of `channel`. */
  release(channel: string): void {
    const n = (this.#count.get(channel) ?? 0) - 1;
    if (n > 0) {
      this.#count.set(channel, n);
      return;
    }
    this.#count.delete(channel);
    // Never sent: nothing to undo.
    if (this.#toSubscribe.delete(channel)) return;
    if (!this.#live.has(channel)) return;
    this.#idle.set(channel, this.#period);
    this.#scheduleSweep();
  }

  /** Forgets every channel without unsubscribing (the caller closes or resets the transport). */
  close(): void {
    this.#closed = true;
    if (this.#flush) clearImmediate(this.#flush);
    clearTimeout(this.#sweep);
    this.#flush = undefined;
    this.#sweep = undefined;
    this.#count.clear();
    this.#live.clear();
    this.#idle.clear();
    this.#toSubscribe.clear();
  }

  /** Accepts holders again after {@link close}. */
  reopen(): void {
    this.#closed = false;
  }

  /** Every channel currently subscribed (or pending), for a full unsubscribe on close. */
  channels(): string[] {
    return [...this.#live, ...this.#toSubscribe];
  }

  #subscribeBatch(): void {
    this.#flush = undefined;
    const batch = [...this.#toSubscribe];
    this.#toSubscribe.clear();
    if (batch.length === 0 || this.#closed) return;
    for (const channel of batch) this.#live.add(channel);
    const sent = this.#call(() => this.transport.subscribe(batch, this.handler));
    const inflight = sent.finally(() => {
      if (this.#inflight === inflight) this.#inflight = undefined;
    });
    this.#inflight = inflight;
  }

  #scheduleSweep(): void {
    if (this.#sweep) return;
    this.#sweep = setTimeout(() => this.#unsubscribeBatch(), this.opts.linger);
    unref(this.#sweep);
  }

  /**
   * Once per linger period: unsubscribes, in one batch, every channel whose last holder left in
   * an EARLIER period (so it lingered between `linger` and twice that). Channels released in one
   * synchronous run always share a period, so they always leave in the same batch.
   */
  #unsubscribeBatch(): void {
    this.#sweep = undefined;
    if (this.#closed) return;
    const batch: string[] = [];
    for (const [channel, period] of this.#idle) if (period < this.#period) batch.push(channel);
    for (const channel of batch) {
      this.#idle.delete(channel);
      this.#live.delete(channel);
    }
    this.#period++;
    if (batch.length > 0) void this.#call(() => this.transport.unsubscribe?.(batch));
    if (this.#idle.size > 0) this.#scheduleSweep();
  }

  /** Runs one backend call; failures go to `onError`, the returned promise never rejects. */
  #call(fn: () => void | Promise<void>): Promise<void> {
    try {
      const result = fn();
      if (result) return result.catch((err) => this.opts.onError(err));
    } catch (err) {
      this.opts.onError(err);
    }
    return Promise.resolve();
  }
}
