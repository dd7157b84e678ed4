// Native AES-256-GCM via node:crypto (OpenSSL, AES-NI): the fast synchronous back end on Node only.
// Imported solely by the Node entry (index.ts), so browser bundles never see `node:crypto`.
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import type { SyncAead } from './aead.js';
import { NONCE_LENGTH, TAG_LENGTH } from './constants.js';

// authTagLength pins the tag at 16 bytes on both sides: without it, Node's decipher accepts a
// shorter tag passed to setAuthTag, which would weaken authentication.
const GCM_OPTIONS = { authTagLength: TAG_LENGTH } as const;

/** Binds node:crypto's AES-256-GCM to a KeyObject created once for `raw` (or given). */
export function createNodeAead(raw: Uint8Array | KeyObject): SyncAead {
  const key = raw instanceof Uint8Array ? createSecretKey(raw) : raw;
  return {
    seal(nonce, plaintext, aad) {
      const cipher = createCipheriv('aes-256-gcm', key, nonce, GCM_OPTIONS);
      cipher.setAAD(aad);
      // Uninitialised is fine: every byte is written below. Saves zeroing 16 KB sections.
      const buf = Buffer.allocUnsafe(NONCE_LENGTH + plaintext.length + TAG_LENGTH);
      const out = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      out.set(nonce, 0);
      out.set(cipher.update(plaintext), NONCE_LENGTH);
      cipher.final();
      out.set(cipher.getAuthTag(), NONCE_LENGTH + plaintext.length);
      return out;
    },
    open(nonce, ciphertextAndTag, aad) {
      const split = ciphertextAndTag.length - TAG_LENGTH;
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, GCM_OPTIONS);
      decipher.setAAD(aad);
      decipher.setAuthTag(ciphertextAndTag.subarray(split));
      const plain = decipher.update(ciphertextAndTag.subarray(0, split));
      decipher.final(); // throws when the tag does not verify; `plain` is never returned then
      return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
    },
  };
}
