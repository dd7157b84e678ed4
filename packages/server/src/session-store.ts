// Where dropped recoverable sessions wait for their client: a small interface, kept in memory.
import { randomBytes } from 'node:crypto';

/**
 * A store of sessions awaiting recovery, by secret single-use token. The in-memory one below is
 * the default; a shared store (say, Redis) implements the same shape so that a client can
 * recover on another server.
 */
export interface SessionStore<S> {
  /**
   * Keeps `session` under `token` until `expiresAt` (ms since the epoch; `Infinity` for a live
   * session, which a client may still take over when its link dropped unnoticed).
   */
  save(token: string, session: S, expiresAt: number): void;
  /** Forgets `token` (its session ended for good). */
  delete(token: string): void;
  /** Removes and returns the session under `token` (single use), if it has not expired. */
  take(token: string): S | undefined;
  /** Sessions kept now. */
  readonly size: number;
  /** Ends every kept session (the server stops): each goes to `onExpired`. */
  clear(): void;
}

/**
 * A new session token: 144 random bits, base64url (24 characters). Unguessable, and never the
 * socket id.
 *
 * @example
 * const token = newSessionToken(); // 'q3NnKj2mN4CqzWPKo1DIlz1a'
 */
export function newSessionToken(): string {
  return randomBytes(18).toString('base64url');
}

interface Kept<S> {
  session: S;
  expiresAt: number;
}

/**
 * The in-memory {@link SessionStore}: a Map and one unref'd sweep timer (running only while the
 * store holds a session that can expire) that hands expired sessions to `onExpired`, which frees
 * them.
 *
 * @example
 * const store = new MemorySessionStore<Session>(120_000, (s, token) => s.end(token));
 */
export class MemorySessionStore<S> implements SessionStore<S> {
  readonly #kept = new Map<string, Kept<S>>();
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #tick: number;

  constructor(
    ttl: number,
    private readonly onExpired: (session: S, token: string) => void,
    private readonly reportError: (err: unknown) => void = () => {},
  ) {
    this.#tick = Math.max(5, Math.min(1000, Math.floor(ttl / 4)));
  }

  get size(): number {
    return this.#kept.size;
  }

  save(token: string, session: S, expiresAt: number): void {
    this.#kept.set(token, { session, expiresAt });
    if (!this.#timer && expiresAt !== Number.POSITIVE_INFINITY) {
      this.#timer = setInterval(() => this.sweep(Date.now()), this.#tick);
      this.#timer.unref?.();
    }
  }

  delete(token: string): void {
    if (this.#kept.delete(token)) this.#idle();
  }

  take(token: string): S | undefined {
    const kept = this.#kept.get(token);
    if (!kept) return undefined;
    this.#kept.delete(token);
    this.#idle();
    if (kept.expiresAt <= Date.now()) {
      this.#expire(kept.session, token);
      return undefined;
    }
    return kept.session;
  }

  /** Ends the sessions whose time is up by `now`. */
  sweep(now: number): void {
    for (const [token, kept] of this.#kept) {
      if (kept.expiresAt > now) continue;
      this.#kept.delete(token);
      this.#expire(kept.session, token);
    }
    this.#idle();
  }

  clear(): void {
    const sessions = [...this.#kept];
    this.#kept.clear();
    this.#idle();
    for (const [token, kept] of sessions) this.#expire(kept.session, token);
  }

  #expire(session: S, token: string): void {
    try {
      this.onExpired(session, token);
    } catch (err) {
      this.reportError(err);
    }
  }

  #idle(): void {
    if (!this.#timer) return;
    for (const kept of this.#kept.values()) if (kept.expiresAt !== Number.POSITIVE_INFINITY) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
