// The client's emit-side backpressure: `emit` says false past half the bound, `drain` under a quarter.
import type { TimerProvider } from './timers.js';

/** What the watch needs from the client. */
export interface DrainWatchOptions {
  /** `maxBufferedBytes`: the bound the half and quarter marks are taken from. */
  bound: number;
  /** Bytes emitted and not yet written to the network (`client.bufferedAmount`). */
  buffered: () => number;
  timers: TimerProvider;
  /** Fires `drain` (through the app-code door, like every listener). */
  onDrain: () => void;
  /** Ms between two looks at the buffer while a `drain` is owed. @default 10 */
  interval?: number;
}

/**
 * Neither the browser's WebSocket nor `ws` tells when its buffer empties, so while a `drain`
 * is owed the buffer is looked at every few ms; nothing runs while emits are accepted.
 *
 * @example
 * const watch = new DrainWatch({ bound, buffered: () => conn.bufferedAmount, timers, onDrain });
 * if (!watch.writable()) pauseTheProducer();
 */
export class DrainWatch {
  #timer: unknown;
  #owed = false;

  constructor(private readonly opts: DrainWatchOptions) {}

  /** True while the buffer is within half the bound; otherwise a `drain` is owed. */
  writable(): boolean {
    if (this.opts.buffered() <= this.opts.bound / 2) return true;
    if (!this.#owed) {
      this.#owed = true;
      this.#schedule();
    }
    return false;
  }

  /** `disconnect()`: no timer is left behind and no `drain` is owed. */
  stop(): void {
    this.opts.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#owed = false;
  }

  #schedule(): void {
    this.#timer = this.opts.timers.setTimeout(() => {
      this.#timer = undefined;
      if (this.opts.buffered() >= this.opts.bound / 4) {
        this.#schedule();
        return;
      }
      this.#owed = false;
      this.opts.onDrain();
    }, this.opts.interval ?? 10);
  }
}
