// HKDF-SHA256 (RFC 5869) across back ends: one input check and the `hkdf`/`hkdfAsync` each entry
// binds to the implementations its platform has.
import { type CipherBackend, isBytes } from './cipher-key.js';
import { invalidOption } from './errors.js';
import { unavailableBackend } from './raw-key.js';

/** A synchronous HKDF-SHA256 implementation. */
export type SyncHkdf = (
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
) => Uint8Array;

/** Options of `hkdf` / `hkdfAsync`. */
export interface HkdfOptions {
  /**
   * Implementation: `'node'` (node:crypto `hkdfSync`, Node only), `'noble'` (@noble/hashes) or
   * `'webcrypto'` (`crypto.subtle.deriveBits`, `hkdfAsync` only). All give the same bytes.
   * @default 'node' on Node, 'noble' in browsers
   */
  backend?: CipherBackend;
}

/** RFC 5869 bound for SHA-256: at most 255 blocks of 32 bytes. */
const MAX_LENGTH = 255 * 32;

function check(ikm: unknown, salt: unknown, info: unknown, length: unknown): void {
  if (!isBytes(ikm) || !isBytes(salt) || !isBytes(info))
    throw new TypeError('hkdf: ikm, salt and info must be Uint8Arrays');
  if (!Number.isInteger(length) || (length as number) < 1 || (length as number) > MAX_LENGTH)
    throw invalidOption('length', `expected an integer from 1 to ${MAX_LENGTH}`);
}

/** Builds an entry's synchronous `hkdf` from the implementations it has. */
export function hkdfWith(
  impls: Partial<Record<CipherBackend, SyncHkdf>>,
  fallback: CipherBackend,
): (
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
  options?: HkdfOptions,
) => Uint8Array {
  return (ikm, salt, info, length, options = {}) => {
    check(ikm, salt, info, length);
    const impl = impls[options.backend ?? fallback];
    if (!impl) throw unavailableBackend(options.backend);
    return impl(ikm, salt, info, length);
  };
}

/** Builds an entry's `hkdfAsync`: WebCrypto for `'webcrypto'`, else the synchronous one. */
export function hkdfAsyncWith(
  impls: Partial<Record<CipherBackend, SyncHkdf>>,
  fallback: CipherBackend,
  webCrypto: (
    ikm: Uint8Array,
    salt: Uint8Array,
    info: Uint8Array,
    n: number,
  ) => Promise<Uint8Array>,
  hasWebCrypto: () => boolean,
): (
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
  options?: HkdfOptions,
) => Promise<Uint8Array> {
  const sync = hkdfWith(impls, fallback);
  return async (ikm, salt, info, length, options = {}) => {
    if (options.backend !== 'webcrypto') return sync(ikm, salt, info, length, options);
    check(ikm, salt, info, length);
    if (!hasWebCrypto()) throw unavailableBackend('webcrypto');
    return webCrypto(ikm, salt, info, length);
  };
}
