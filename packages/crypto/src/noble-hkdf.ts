// HKDF-SHA256 (RFC 5869) via @noble/hashes: the pure-JS key derivation that runs everywhere.
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** HKDF-SHA256 of `ikm` with `salt` and `info`, `length` bytes (at most 255 × 32). */
export function nobleHkdf(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  return hkdf(sha256, ikm, salt, info, length);
}
