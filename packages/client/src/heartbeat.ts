// Client heartbeats: HEARTBEAT every interval, misses counted, 3 in a row mean the link is dead.
import type { TimerProvider } from './timers.js';

/** Consecutive misses that declare the connection dead. */
export const MAX_HEARTBEAT_MISSES = 3;
/** Delay before re-probing after a miss (or the interval, when shorter). */
export const HEARTBEAT_RETRY_DELAY = 2000;

/** What the heartbeat needs from the session. */
export interface HeartbeatOptions {
  interval: number;
  timeout: number;
  timers: TimerProvider;
  /** Sends one HEARTBEAT with `{ t, rtt? }`. */
  send: (payload: { t: number; rtt?: number }) => void;
  /** Called once after {@link MAX_HEARTBEAT_MISSES} consecutive misses. */
  onDead: () => void;
}

/**
 * Sends HEARTBEAT every `interval` ms. A HEARTBEAT_ACK echoing the probe's `t` within `timeout`
 * resets the miss count and measures the round trip; otherwise the probe is a miss and another
 * follows after min(2 s, interval); the third consecutive miss calls `onDead`.
 *
 * @example
 * const hb = new Heartbeat({ interval: 25000, timeout: 5000, timers, send, onDead });
 * hb.start(); // on HEARTBEAT_ACK: hb.acknowledge(data); on close: hb.stop()
 */
export class Heartbeat {
  /** Last measured round trip in ms. */
  rtt: number | undefined;
  private timer: unknown;
  private waitingFor: number | undefined;
  private misses = 0;
  private running = false;

  constructor(private readonly opts: HeartbeatOptions) {}

  start(): void {
    this.stop();
    this.running = true;
    this.schedule(this.opts.interval, () => this.probe());
  }

  stop(): void {
    this.running = false;
    this.opts.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.waitingFor = undefined;
    this.misses = 0;
  }

  /** Handles a HEARTBEAT_ACK body; acks for anything but the probe in flight are ignored. */
  acknowledge(payload: unknown): void {
    const t = (payload as { t?: unknown } | null)?.t;
    if (!this.running || this.waitingFor === undefined || t !== this.waitingFor) return;
    this.rtt = Math.max(0, this.opts.timers.now() - t);
    this.waitingFor = undefined;
    this.misses = 0;
    this.schedule(this.opts.interval, () => this.probe());
  }

  private probe(): void {
    // Keep `t` unique per probe so a late ack of an earlier probe is not taken for this one.
    let t = this.opts.timers.now();
    if (this.waitingFor !== undefined && t <= this.waitingFor) t = this.waitingFor + 1;
    this.waitingFor = t;
    this.opts.send(this.rtt === undefined ? { t } : { t, rtt: this.rtt });
    this.schedule(this.opts.timeout, () => this.miss());
  }

  private miss(): void {
    this.misses++;
    if (this.misses >= MAX_HEARTBEAT_MISSES) {
      this.stop();
      this.opts.onDead();
      return;
    }
    this.schedule(Math.min(HEARTBEAT_RETRY_DELAY, this.opts.interval), () => this.probe());
  }

  private schedule(ms: number, fn: () => void): void {
    this.opts.timers.clearTimeout(this.timer);
    this.timer = this.opts.timers.setTimeout(() => {
      if (this.running) fn();
    }, ms);
  }
}
