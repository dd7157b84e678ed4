// Key rotation: the current key plus previous keys still accepted until their grace period ends.
import type { CipherKey } from './cipher-key.js';
import { decryptionFailed, invalidOption } from './errors.js';

/** Options of a {@link KeyRing}. */
export interface KeyRingOptions {
  /**
   * Clock in milliseconds; inject one in tests.
   * @default Date.now
   */
  now?: () => number;
}

interface RetiredKey {
  key: CipherKey;
  expiresAt: number;
}

/**
 * Holds the current key and the keys it replaced, each accepted until its grace period ends.
 * New sessions seal with `current`; `open` tries the current key first, then the retired ones
 * still in their grace period, and tells which key worked so a session can keep using it.
 *
 * @example
 * const ring = new KeyRing(parseKey(oldBase64));
 * ring.rotate(parseKey(newBase64), 60_000);       // old key accepted for one more minute
 * const { plaintext, key } = ring.open(frame.data, frame.aad);
 * if (!ring.accepts(session.key)) askToReconnect(session);
 */
export class KeyRing {
  #current: CipherKey;
  #retired: RetiredKey[] = [];
  readonly #now: () => number;

  constructor(current: CipherKey, options: KeyRingOptions = {}) {
    this.#current = current;
    this.#now = options.now ?? Date.now;
  }

  /** The key new sessions use. */
  get current(): CipherKey {
    return this.#current;
  }

  /**
   * Makes `next` the current key; the old current key (and any retired key still valid) stays
   * accepted for `graceMs` more milliseconds from now at most. `graceMs` 0 drops it at once.
   */
  rotate(next: CipherKey, graceMs: number): void {
    if (!Number.isFinite(graceMs) || graceMs < 0)
      throw invalidOption('gracePeriod', 'expected a finite number of milliseconds >= 0');
    const expiresAt = this.#now() + graceMs;
    const retired = this.#current === next ? [] : [{ key: this.#current, expiresAt }];
    for (const r of this.#retired)
      if (r.key !== next) retired.push({ key: r.key, expiresAt: Math.min(r.expiresAt, expiresAt) });
    this.#current = next;
    this.#retired = retired;
    this.prune();
  }

  /** True when `key` is the current key or a retired key still in its grace period. */
  accepts(key: CipherKey): boolean {
    if (key === this.#current) return true;
    const now = this.#now();
    return this.#retired.some((r) => r.key === key && r.expiresAt > now);
  }

  /** The accepted keys, current first. */
  keys(): CipherKey[] {
    const now = this.#now();
    return [this.#current, ...this.#retired.filter((r) => r.expiresAt > now).map((r) => r.key)];
  }

  /** When the next retired key expires (ms, same clock), or `undefined` when none is left. */
  nextExpiry(): number | undefined {
    const now = this.#now();
    let next: number | undefined;
    for (const r of this.#retired)
      if (r.expiresAt > now && (next === undefined || r.expiresAt < next)) next = r.expiresAt;
    return next;
  }

  /** Forgets retired keys whose grace period has ended and returns them. */
  prune(): CipherKey[] {
    const now = this.#now();
    const expired = this.#retired.filter((r) => r.expiresAt <= now).map((r) => r.key);
    this.#retired = this.#retired.filter((r) => r.expiresAt > now);
    return expired;
  }

  /** Opens with the first accepted key that authenticates; `ERR_MSG_003` when none does. */
  open(sealed: Uint8Array, aad: Uint8Array): { plaintext: Uint8Array; key: CipherKey } {
    for (const key of this.keys()) {
      try {
        return { plaintext: key.open(sealed, aad), key };
      } catch {
        // try the next accepted key
      }
    }
    throw decryptionFailed();
  }
}
