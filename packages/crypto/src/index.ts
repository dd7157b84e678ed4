// @smartsocket/crypto, Node entry (`node` export condition, and what vitest aliases resolve to):
// node:crypto seals synchronously; noble and WebCrypto stay available by name.
import { type CipherBackend, CipherKey } from './cipher-key.js';
import { decodeKey } from './key-material.js';
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
export function parseKey(
  value: unknown,
  optionName = 'encryptionKey',
  options: CipherKeyOptions = {},
): CipherKey {
  if (value instanceof CipherKey) return value;
  return createCipherKey(decodeKey(value, optionName), options);
}

export { type CipherBackend, CipherKey, open, openAsync, seal, sealAsync } from './cipher-key.js';
export {
  ENCRYPTION_ALGORITHM,
  KEY_LENGTH,
  NONCE_LENGTH,
  SEAL_OVERHEAD,
  TAG_LENGTH,
} from './constants.js';
export { openFrame, sealFrame } from './frame-seal.js';
export { decodeKey, generateKey } from './key-material.js';
export { KeyRing, type KeyRingOptions } from './key-ring.js';
export type { CipherKeyOptions } from './raw-key.js';
