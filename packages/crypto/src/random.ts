// Cryptographically secure random bytes from the platform CSPRNG (Node 20+ and browsers alike).

/** Returns `length` bytes from `crypto.getRandomValues` (at most 65,536 per call, as WebCrypto allows). */
export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

// Nonces are drawn from a block of CSPRNG output refilled 512 nonces at a time: one
// getRandomValues call per message cost about a quarter of a 1 KB seal on node:crypto. Every
// byte is handed out once; a refill allocates a new block, so a nonce view held by a pending
// async seal is never overwritten.
const POOL_NONCES = 512;
let pool: Uint8Array = new Uint8Array(0);
let offset = 0;

/** A fresh random nonce of `length` bytes (a view that is never reused). */
export function randomNonce(length: number): Uint8Array {
  if (offset + length > pool.length) {
    pool = randomBytes(length * POOL_NONCES);
    offset = 0;
  }
  const nonce = pool.subarray(offset, offset + length);
  offset += length;
  return nonce;
}
