// @smartsocket/crypto, Node entry (`node` export condition, and what vitest aliases resolve to):
// node:crypto seals synchronously; noble and WebCrypto stay available by name.
import { createSecretKey } from 'node:crypto';
import { type CipherBackend, CipherKey } from './cipher-key.js';
import { type ParseKey, parseKeyWith } from './entry-common.js';
import { hkdfAsyncWith, hkdfWith, type SyncHkdf } from './hkdf.js';
import { createNobleAead } from './noble-aead.js';
import { nobleHkdf } from './noble-hkdf.js';
import { createNodeAead } from './node-aead.js';
import { nodeHkdf } from './node-hkdf.js';
import { type CipherKeyOptions, checkRawKey, unavailableBackend } from './raw-key.js';
import { createWebCryptoAead, hasWebCrypto } from './webcrypto-aead.js';
import { webCryptoHkdf } from './webcrypto-hkdf.js';

const HKDFS: Partial<Record<CipherBackend, SyncHkdf>> = { node: nodeHkdf, noble: nobleHkdf };

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
  if (backend === 'noble') {
    const material = bytes.slice();
    const derive = (salt: Uint8Array, info: Uint8Array) =>
      createCipherKey(nobleHkdf(material, salt, info, 32), { backend });
    return new CipherKey('noble', createNobleAead(bytes), undefined, derive);
  }
  if (backend !== 'node' && !(backend === 'webcrypto' && hasWebCrypto()))
    throw unavailableBackend(backend);
  // One KeyObject seals, opens and derives ('webcrypto' keys do all three synchronously with
  // node:crypto): a session's derived keys hold no copy of their bytes on the JS heap.
  const secret = createSecretKey(bytes);
  const derive = (salt: Uint8Array, info: Uint8Array) =>
    createCipherKey(nodeHkdf(secret, salt, info, 32), { backend });
  const asyncAead = backend === 'webcrypto' ? createWebCryptoAead(bytes) : undefined;
  return new CipherKey(backend, createNodeAead(secret), asyncAead, derive);
}

/**
 * HKDF-SHA256 (RFC 5869): `length` bytes from `ikm`, `salt` and `info`, with node:crypto
 * (default) or noble; every back end gives the same bytes.
 *
 * @example
 * const okm = hkdf(ikm, salt, new TextEncoder().encode('my context'), 32);
 */
export const hkdf = /* @__PURE__ */ hkdfWith(HKDFS, 'node');

/**
 * {@link hkdf}, and with `{ backend: 'webcrypto' }` through `crypto.subtle.deriveBits`.
 *
 * @example
 * const okm = await hkdfAsync(ikm, salt, info, 32, { backend: 'webcrypto' });
 */
export const hkdfAsync = /* @__PURE__ */ hkdfAsyncWith(HKDFS, 'node', webCryptoHkdf, hasWebCrypto);

/**
 * Parses an `encryptionKey` option (base64 of exactly 32 bytes) into a ready {@link CipherKey};
 * anything else throws `ERR_CONFIG_001` naming `optionName`.
 *
 * @example
 * const key = parseKey(process.env.ENCRYPTION_KEY, 'encryptionKey');
 */
export const parseKey: ParseKey = parseKeyWith(createCipherKey);

export * from './entry-common.js';
