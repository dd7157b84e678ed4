// AES-256-GCM via WebCrypto (`crypto.subtle`): native speed in browsers, but asynchronous only and
// available only in secure contexts (https, localhost).
import type { AsyncAead } from './aead.js';
import { NONCE_LENGTH, TAG_LENGTH } from './constants.js';

/** True when this runtime exposes `crypto.subtle`. */
export function hasWebCrypto(): boolean {
  return typeof globalThis.crypto?.subtle?.encrypt === 'function';
}

// WebCrypto's BufferSource typing wants ArrayBuffer-backed views; ours always are.
type Source = Uint8Array<ArrayBuffer>;

/** Binds WebCrypto to `raw`; the non-extractable CryptoKey is imported once, on first use. */
export function createWebCryptoAead(raw: Uint8Array): AsyncAead {
  const subtle = globalThis.crypto.subtle;
  const keyBytes = raw.slice();
  let imported: Promise<CryptoKey> | undefined;
  const cryptoKey = (): Promise<CryptoKey> => {
    imported ??= subtle.importKey('raw', keyBytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
    return imported;
  };
  const params = (nonce: Uint8Array, aad: Uint8Array): AesGcmParams => ({
    name: 'AES-GCM',
    iv: nonce as Source,
    additionalData: aad as Source,
    tagLength: TAG_LENGTH * 8,
  });
  return {
    async seal(nonce, plaintext, aad) {
      const sealed = await subtle.encrypt(
        params(nonce, aad),
        await cryptoKey(),
        plaintext as Source,
      );
      const out = new Uint8Array(NONCE_LENGTH + sealed.byteLength);
      out.set(nonce, 0);
      out.set(new Uint8Array(sealed), NONCE_LENGTH);
      return out;
    },
    async open(nonce, ciphertextAndTag, aad) {
      const plain = await subtle.decrypt(
        params(nonce, aad),
        await cryptoKey(),
        ciphertextAndTag as Source,
      );
      return new Uint8Array(plain);
    },
  };
}
