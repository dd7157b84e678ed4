// Validation of raw key bytes, shared by both entries' createCipherKey.
import { type CipherBackend, isBytes } from './cipher-key.js';
import { KEY_LENGTH } from './constants.js';
import { invalidOption } from './errors.js';

/** Options of `createCipherKey` / `parseKey`. */
export interface CipherKeyOptions {
  /**
   * Back end to seal with. `'webcrypto'` keys seal and open synchronously with noble and
   * asynchronously with `crypto.subtle`.
   * @default 'node' on Node; in browsers 'webcrypto' when `crypto.subtle` exists, else 'noble'
   */
  backend?: CipherBackend;
}

/** Throws `ERR_CONFIG_001` unless `raw` is exactly 32 bytes. */
export function checkRawKey(raw: unknown, optionName: string): Uint8Array {
  if (!isBytes(raw) || raw.length !== KEY_LENGTH)
    throw invalidOption(optionName, `expected ${KEY_LENGTH} key bytes`);
  return raw;
}

/** `ERR_CONFIG_001` for a back end this entry or runtime cannot provide. */
export function unavailableBackend(backend: unknown): Error {
  return invalidOption('backend', `back end ${String(backend)} is not available here`);
}
