// Encryption key rotation: the new key is current at once; the old one retires after a grace period.
import { type KeyRing, parseKey } from '@smartsocket/crypto';

/**
 * Rotates the keys of a {@link KeyRing}: `rotate(newKey)` makes `newKey` current for new
 * connections at once, the previous key keeps opening CONNECTs and serving its sockets for
 * `graceMs`, then `onExpired` runs (the server asks the sockets still on a retired key to
 * reconnect). One timer per rotation, none per socket; `stop()` clears them.
 *
 * @example
 * const rotation = new KeyRotation(ring, 60_000, () => disconnectRetired());
 * rotation.rotate(process.env.NEW_ENCRYPTION_KEY);
 */
export class KeyRotation {
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly ring: KeyRing,
    private readonly graceMs: number,
    private readonly onExpired: () => void,
  ) {}

  /** Validates `newKey` (`ERR_CONFIG_001`: base64 of exactly 32 bytes) and rotates to it. */
  rotate(newKey: string): void {
    const key = parseKey(newKey, 'encryptionKey');
    this.ring.rotate(key, this.graceMs);
    // Read the clock after the ring did, so `at` is never before the ring's own expiry.
    this.#schedule(Date.now() + this.graceMs);
  }

  /** Clears the pending expiry timers (server stop). */
  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #schedule(at: number): void {
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        // Timers may wake a millisecond early by the wall clock: wait for the ring's expiry.
        if (Date.now() < at) return this.#schedule(at);
        this.ring.prune();
        this.onExpired();
      },
      Math.max(0, at - Date.now()),
    );
    timer.unref?.();
    this.#timers.add(timer);
  }
}
