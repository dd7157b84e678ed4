// Cryptographically secure random bytes from the platform CSPRNG (Node 20+ and browsers alike).

/** Returns `length` bytes from `crypto.getRandomValues` (at most 65,536 per call, as WebCrypto allows). */
export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}
