// One shared timer for every connection's liveness (instead of a timer per socket).
import type { Connection } from './connection.js';

/**
 * Every `tick` ms, asks each connection to check itself: a socket silent for
 * `connectionTimeout` gets a HEARTBEAT probe; no frame within `heartbeatTimeout` after the probe
 * drops it; a connection without an accepted CONNECT after `handshakeTimeout` is closed. The
 * tick is a quarter of the shortest of the timeouts (5 ms to 1 s), so detection is at most that
 * late.
 */
export class HeartbeatSweeper {
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly tick: number;

  constructor(
    private readonly connections: ReadonlySet<Connection>,
    connectionTimeout: number,
    heartbeatTimeout: number,
    handshakeTimeout = connectionTimeout,
    private readonly reportError: (err: unknown) => void = () => {},
  ) {
    const shortest = Math.min(connectionTimeout, heartbeatTimeout, handshakeTimeout);
    this.tick = Math.max(5, Math.min(1000, Math.floor(shortest / 4)));
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.sweep(Date.now()), this.tick);
    // The listening HTTP server keeps the process alive, not this timer.
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  sweep(now: number): void {
    for (const conn of [...this.connections]) {
      // One connection's failure must not leave the others unchecked (nor escape the timer).
      try {
        conn.sweep(now);
      } catch (err) {
        this.reportError(err);
      }
    }
  }
}
