// Encryption with @smartsocket/crypto (node:crypto on Node.js, noble in browsers), synchronous:
// the session key schedule behind the client's AttemptSealer. Its own module so the browser
// build loads it lazily, and only where WebCrypto is missing.
import {
  answerKey,
  type CipherKey,
  decodeSessionNonce,
  encodeSessionNonce,
  parseKey,
  randomSessionNonce,
  SessionCipher,
} from '@smartsocket/crypto';
import type { AttemptSealer, SealKey, SessionAnswer } from './codec-kit.js';
import { type EncryptionKeyOption, EncryptionKeySource } from './encryption-key.js';
import { sessionParams } from './session-params.js';

/**
 * Key source of the `encryptionKey` option, keys as `CipherKey`s.
 *
 * @example
 * const key = keySource('base64 of 32 bytes').next();
 */
export function keySource(option: EncryptionKeyOption): { next(): SealKey | Promise<SealKey> } {
  return new EncryptionKeySource(option, (text) => parseKey(text, 'encryptionKey'));
}

/**
 * The sealing of one connection attempt with `key` (a `CipherKey`).
 *
 * @example
 * const sealer = attempt(key); // sealer.connectNonce goes into CONNECT
 */
export function attempt(key: SealKey): AttemptSealer {
  const shared = key as CipherKey;
  const nonce = randomSessionNonce();
  let cipher: SessionCipher | undefined;
  let answer: CipherKey | undefined;
  return {
    connectNonce: encodeSessionNonce(nonce),
    seal: (plaintext, aad) => (cipher ?? shared).seal(plaintext, aad),
    open: (sealed, aad) => {
      if (cipher) return cipher.open(sealed, aad);
      answer ??= answerKey(shared, nonce);
      return answer.open(sealed, aad);
    },
    start(reply: SessionAnswer) {
      const { serverNonce, salt, seq } = sessionParams(reply, decodeSessionNonce);
      cipher = SessionCipher.forClient(shared, nonce, serverNonce, { salt, seq });
    },
  };
}
