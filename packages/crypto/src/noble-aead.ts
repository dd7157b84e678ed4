// Pure-JS AES-256-GCM via @noble/ciphers: the fallback that runs everywhere, synchronously.
import { gcm } from '@noble/ciphers/aes.js';
import type { SyncAead } from './aead.js';
import { NONCE_LENGTH } from './constants.js';

/**
 * Binds noble's `gcm` to a private copy of `raw`. noble expands the key inside every call and
 * offers no way to keep the schedule, so the copy is all there is to cache.
 */
export function createNobleAead(raw: Uint8Array): SyncAead {
  const key = raw.slice();
  return {
    seal(nonce, plaintext, aad) {
      const sealed = gcm(key, nonce, aad).encrypt(plaintext);
      const out = new Uint8Array(NONCE_LENGTH + sealed.length);
      out.set(nonce, 0);
      out.set(sealed, NONCE_LENGTH);
      return out;
    },
    open(nonce, ciphertextAndTag, aad) {
      return gcm(key, nonce, aad).decrypt(ciphertextAndTag);
    },
  };
}
