// The live long-polling sessions by token, and the one timer that ends the abandoned ones.
import { newToken } from './polling-token.js';
import { PollingTransport } from './polling-transport.js';

/**
 * Holds every polling session. A session with no GET held for `idleLimit` ms (the client's
 * `heartbeatInterval + heartbeatTimeout`: it would have polled by then) is terminated like a
 * dead socket, and a GET held for `pollingTimeout` is answered empty. One interval timer serves
 * every session (no timer per GET); it runs only while there are sessions, so a stopped server
 * leaves no timer behind.
 *
 * @example
 * const store = new PollingSessionStore(25_000, 35_000);
 * const transport = store.create(); // transport.token goes to the client
 */
export class PollingSessionStore {
  readonly #sessions = new Map<string, PollingTransport>();
  readonly #tick: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #emptied: (() => void)[] = [];
  readonly #gone = (t: PollingTransport): void => {
    if (this.#sessions.get(t.token) === t) this.#sessions.delete(t.token);
    if (this.#sessions.size > 0) return;
    this.#stopTimer();
    const waiters = this.#emptied;
    this.#emptied = [];
    for (const resolve of waiters) resolve();
  };

  constructor(
    private readonly pollingTimeout: number,
    private readonly idleLimit: number,
  ) {
    // Held GETs are answered at most a tick after `pollingTimeout`; idle sessions end at most a
    // tick after `idleLimit`.
    this.#tick = Math.max(5, Math.min(1000, Math.floor(Math.min(idleLimit, pollingTimeout) / 4)));
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** A new session under a fresh unguessable token (naming `owner`, this node, in a cluster). */
  create(owner?: string): PollingTransport {
    const token = newToken(owner);
    const transport = new PollingTransport(token, this.pollingTimeout, this.#gone);
    this.#sessions.set(token, transport);
    if (!this.#timer) {
      this.#timer = setInterval(() => this.sweep(Date.now()), this.#tick);
      this.#timer.unref?.();
    }
    return transport;
  }

  get(token: string): PollingTransport | undefined {
    return this.#sessions.get(token);
  }

  /**
   * Answers GETs held for `pollingTimeout` ms (empty) and terminates the sessions nobody has
   * polled for `idleLimit` ms.
   */
  sweep(now: number): void {
    for (const t of [...this.#sessions.values()]) {
      if (t.polling) t.expire(now);
      else if (now - t.lastActive >= this.idleLimit) t.terminate();
    }
  }

  /**
   * Waits up to `graceMs` for the sessions to end on their own (closing sessions end once a GET
   * has taken their last frames), then terminates the rest.
   */
  async drain(graceMs: number): Promise<void> {
    if (this.#sessions.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#emptied.push(resolve);
        timer = setTimeout(resolve, graceMs);
      });
      clearTimeout(timer);
    }
    this.terminateAll();
  }

  /** Terminates every session (server stop). */
  terminateAll(): void {
    for (const t of [...this.#sessions.values()]) t.terminate();
    this.#stopTimer();
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
