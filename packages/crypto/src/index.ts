// @smartsocket/crypto, Node entry (`node` export condition, and what vitest aliases resolve to):
// node:crypto seals synchronously; noble and WebCrypto stay available by name.
import { type CipherBackend, CipherKey } from './cipher-key.js';
import { type ParseKey, parseKeyWith } from './entry-common.js';
import { createNobleAead } from './noble-aead.js';
import { createNodeAead } from './node-aead.js';
import { type CipherKeyOptions, checkRawKey, unavailableBackend } from './raw-key.js';
import { createWebCryptoAead, hasWebCrypto } from './webcrypto-aead.js';

/**
 * Binds 32 raw key bytes to a back end, doing the key setup once (a node:crypto `KeyObject`
 * for `'node'`, the default here). Wrong length: `ERR_CONFIG_001`.
 *
 * @example
 * const key = createCipherKey(crypto.getRandomValues(new Uint8Array(32)));
 * key.backend; // 'node'
 */
export function createCipherKey(raw: Uint8Array, options: CipherKeyOptions = {}): CipherKey {
  const bytes = checkRawKey(raw, 'key');
  const backend: CipherBackend = options.backend ?? 'node';
  if (backend === 'node') return new CipherKey('node', createNodeAead(bytes));
  if (backend === 'noble') return new CipherKey('noble', createNobleAead(bytes));
  if (backend === 'webcrypto' && hasWebCrypto()) {
    return new CipherKey('webcrypto', createNodeAead(bytes), createWebCryptoAead(bytes));
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
