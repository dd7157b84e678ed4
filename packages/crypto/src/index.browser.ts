// @smartsocket/crypto, browser entry (`browser` and `default` export conditions): noble seals
// synchronously, WebCrypto asynchronously. Never imports `node:crypto`.
import { type CipherBackend, CipherKey } from './cipher-key.js';
import { type ParseKey, parseKeyWith } from './entry-common.js';
import { createNobleAead } from './noble-aead.js';
import { type CipherKeyOptions, checkRawKey, unavailableBackend } from './raw-key.js';
import { createWebCryptoAead, hasWebCrypto } from './webcrypto-aead.js';

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
  if (backend === 'noble') return new CipherKey('noble', createNobleAead(bytes));
  if (backend === 'webcrypto' && hasWebCrypto()) {
    // WebCrypto has no synchronous API: the hot synchronous path seals with noble.
    return new CipherKey('webcrypto', createNobleAead(bytes), createWebCryptoAead(bytes));
  }
  throw unavailableBackend(backend);
}

/**
 * Parses an `encryptionKey` option (base64 of exactly 32 bytes) into a ready {@link CipherKey};
 * anything else throws `ERR_CONFIG_001` naming `optionName`.
 *
 * @example
 * const key = parseKey(process.env.ENCRYPTION_KEY, 'encryptionKey');
 */
export const parseKey: ParseKey = parseKeyWith(createCipherKey);

export * from './entry-common.js';
