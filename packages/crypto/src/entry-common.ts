// What the Node and browser entries share: the re-exported API and `parseKey` over the entry's
// own `createCipherKey` (each entry binds keys to the back ends its platform has).
import { CipherKey } from './cipher-key.js';
import { decodeKey } from './key-material.js';
import type { CipherKeyOptions } from './raw-key.js';

export {
  type CipherBackend,
  CipherKey,
  type KeyDeriver,
  open,
  openAsync,
  seal,
  sealAsync,
} from './cipher-key.js';
export {
  ENCRYPTION_ALGORITHM,
  KEY_LENGTH,
  NONCE_LENGTH,
  SEAL_OVERHEAD,
  TAG_LENGTH,
} from './constants.js';
export { openFrame, type SectionSealer, sealFrame } from './frame-seal.js';
export type { HkdfOptions } from './hkdf.js';
export { decodeKey, generateKey } from './key-material.js';
export { KeyRing, type KeyRingOptions } from './key-ring.js';
export type { CipherKeyOptions } from './raw-key.js';
export { counterNonce, NonceKind, nonceKind, SequencedKey } from './sequenced-key.js';
export {
  answerKey,
  decodeSessionNonce,
  encodeSessionNonce,
  groupKey,
  randomSessionNonce,
  SESSION_INFO,
  SESSION_NONCE_LENGTH,
  SessionCipher,
} from './session-cipher.js';

/** The signature of `parseKey`, as each entry exports it. */
export type ParseKey = (
  value: unknown,
  optionName?: string,
  options?: CipherKeyOptions,
) => CipherKey;

/** Builds an entry's `parseKey` from its `createCipherKey`. */
export function parseKeyWith(
  createCipherKey: (raw: Uint8Array, options?: CipherKeyOptions) => CipherKey,
): ParseKey {
  return (value, optionName = 'encryptionKey', options = {}) =>
    value instanceof CipherKey ? value : createCipherKey(decodeKey(value, optionName), options);
}
