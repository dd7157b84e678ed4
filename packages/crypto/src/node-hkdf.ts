// HKDF-SHA256 (RFC 5869) via node:crypto: the Node back end's key derivation, synchronous.
// Imported solely by the Node entry (index.ts), so browser bundles never see `node:crypto`.
import { hkdfSync, type KeyObject } from 'node:crypto';

/**
 * HKDF-SHA256 of `ikm` with `salt` and `info`, `length` bytes (at most 255 × 32). `ikm` may be a
 * secret KeyObject: a key derives from itself without its bytes being copied out.
 */
export function nodeHkdf(
  ikm: Uint8Array | KeyObject,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
}
