// @smartsocket/crypto, browser entry (`browser` and `default` export conditions): noble seals
// synchronously, WebCrypto asynchronously. Never imports `node:crypto`.
import { type CipherBackend, CipherKey } from './cipher-key.js';
import { type ParseKey, parseKeyWith } from './entry-common.js';
import { hkdfAsyncWith, hkdfWith, type SyncHkdf } from './hkdf.js';
import { createNobleAead } from './noble-aead.js';
import { nobleHkdf } from './noble-hkdf.js';
import { type CipherKeyOptions, checkRawKey, unavailableBackend } from './raw-key.js';
import { createWebCryptoAead, hasWebCrypto } from './webcrypto-aead.js';
import { webCryptoHkdf } from './webcrypto-hkdf.js';

const HKDFS: Partial<Record<CipherBackend, SyncHkdf>> = { noble: nobleHkdf };

/**
 * Binds 32 raw key bytes to a back end, doing the key setup once: noble keeps a private copy,
 * WebCrypto imports a non-extractable `CryptoKey` on first async use. `'node'` is not available.
 * Wrong length: `ERR_CONFIG_001`.
 *
 * @example
 * const key = createCipherKey(crypto.getRandomValues(new Uint8Array(32)));
 * key.backend; // 'webcrypto' in a secure context, else 'noble'
 */
export function createCipherKey(raw: Uint8Array, options: CipherKeyOptions = {}): CipherKey {
  const bytes = checkRawKey(raw, 'key');
  const backend: CipherBackend = options.backend ?? (hasWebCrypto() ? 'webcrypto' : 'noble');
  // WebCrypto has no synchronous API: the synchronous paths (seal, open, derive) use noble.
  const material = bytes.slice();
  const derive = (salt: Uint8Array, info: Uint8Array) =>
    createCipherKey(nobleHkdf(material, salt, info, 32), { backend });
  if (backend === 'noble') return new CipherKey('noble', createNobleAead(bytes), undefined, derive);
  if (backend === 'webcrypto' && hasWebCrypto()) {
    return new CipherKey('webcrypto', createNobleAead(bytes), createWebCryptoAead(bytes), derive);
  }
  throw unavailableBackend(backend);
}

/**
 * HKDF-SHA256 (RFC 5869): `length` bytes from `ikm`, `salt` and `info`, with noble here.
 *
 * @example
 * const okm = hkdf(ikm, salt, new TextEncoder().encode('my context'), 32);
 */
export const hkdf = /* @__PURE__ */ hkdfWith(HKDFS, 'noble');

/**
 * {@link hkdf}, and with `{ backend: 'webcrypto' }` through `crypto.subtle.deriveBits`.
 *
 * @example
 * const okm = await hkdfAsync(ikm, salt, info, 32, { backend: 'webcrypto' });
 */
export const hkdfAsync = /* @__PURE__ */ hkdfAsyncWith(HKDFS, 'noble', webCryptoHkdf, hasWebCrypto);

/**
 * Parses an `encryptionKey` option (base64 of exactly 32 bytes) into a ready {@link CipherKey};
 * anything else throws `ERR_CONFIG_001` naming `optionName`.
 *
 * @example
 * const key = parseKey(process.env.ENCRYPTION_KEY, 'encryptionKey');
 */
export const parseKey: ParseKey = parseKeyWith(createCipherKey);

export * from './entry-common.js';
