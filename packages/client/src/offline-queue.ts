// Offline queue: emits made while disconnected, bounded in count and age, replayed in order.

/** One queued item with the time it was queued. */
interface Entry<T> {
  item: T;
  at: number;
}

/**
 * FIFO with a size bound (the oldest entry is dropped to make room) and a max age (stale
 * entries are dropped when the queue is touched). Dropped items go to `onDrop`.
 *
 * @example
 * const q = new OfflineQueue<string>({ size: 2, maxAge: 1000, now: Date.now, onDrop: console.log });
 * q.push('a'); q.push('b'); q.push('c'); // drops 'a'
 * q.drain(); // ['b', 'c']
 */
export class OfflineQueue<T> {
  private entries: Entry<T>[] = [];
  private head = 0;

  constructor(
    private readonly opts: {
      size: number;
      maxAge: number;
      now: () => number;
      onDrop?: (item: T, reason: 'overflow' | 'stale') => void;
    },
  ) {}

  /** Number of items waiting (stale ones included until the next prune). */
  get length(): number {
    return this.entries.length - this.head;
  }

  /** Queues `item`; returns false when the queue has no room at all (size 0). */
  push(item: T): boolean {
    if (this.opts.size === 0) {
      this.opts.onDrop?.(item, 'overflow');
      return false;
    }
    this.prune();
    while (this.length >= this.opts.size) this.opts.onDrop?.(this.shift()!, 'overflow');
    this.entries.push({ item, at: this.opts.now() });
    return true;
  }

  /** Removes and returns every fresh item, oldest first (stale ones are dropped). */
  drain(): T[] {
    this.prune();
    const out = this.entries.slice(this.head).map((e) => e.item);
    this.entries = [];
    this.head = 0;
    return out;
  }

  /** Empties the queue and returns what it held, stale items included (e.g. to fail their acks). */
  clear(): T[] {
    const out = this.entries.slice(this.head).map((e) => e.item);
    this.entries = [];
    this.head = 0;
    return out;
  }

  private shift(): T {
    const entry = this.entries[this.head++]!;
    // Compact now and then so the array does not grow without bound.
    if (this.head > 64 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return entry.item;
  }

  private prune(): void {
    const oldest = this.opts.now() - this.opts.maxAge;
    while (this.length > 0 && this.entries[this.head]!.at < oldest)
      this.opts.onDrop?.(this.shift(), 'stale');
  }
}
