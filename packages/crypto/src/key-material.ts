// Key material in and out: strict base64 of exactly 32 bytes, and fresh random keys.
import { fromBase64, toBase64 } from './base64.js';
import { KEY_LENGTH } from './constants.js';
import { invalidOption } from './errors.js';
import { randomBytes } from './random.js';

// 32 bytes are 43 base64 characters plus one '=' of padding (which we let users omit).
const KEY_BASE64 = /^[A-Za-z0-9+/]{43}=?$/;

/**
 * Decodes an `encryptionKey` option: standard base64 of exactly 32 bytes, surrounding whitespace
 * ignored (keys often come from env files). Anything else throws `ERR_CONFIG_001` naming
 * `optionName`; the message never echoes the value.
 *
 * @example
 * decodeKey(process.env.ENCRYPTION_KEY, 'encryptionKey'); // → Uint8Array(32)
 */
export function decodeKey(value: unknown, optionName = 'encryptionKey'): Uint8Array {
  if (typeof value !== 'string')
    throw invalidOption(
      optionName,
      `expected a base64 string of ${KEY_LENGTH} bytes, got ${typeof value}`,
    );
  const text = value.trim();
  if (!KEY_BASE64.test(text))
    throw invalidOption(
      optionName,
      `expected standard base64 of exactly ${KEY_LENGTH} bytes (44 characters); generate one with \`npx @smartsocket/crypto keygen\``,
    );
  const raw = fromBase64(text.endsWith('=') ? text : `${text}=`);
  // Reject non-canonical encodings (stray low bits in the last character): one key, one spelling.
  if (raw.length !== KEY_LENGTH || toBase64(raw) !== (text.endsWith('=') ? text : `${text}=`))
    throw invalidOption(optionName, `not a canonical base64 encoding of ${KEY_LENGTH} bytes`);
  return raw;
}

/**
 * A new random AES-256 key as base64 (44 characters), ready for the `encryptionKey` option.
 *
 * @example
 * const key = generateKey(); // e.g. 'q3Jd…=' — store it as ENCRYPTION_KEY on server and clients
 */
export function generateKey(): string {
  return toBase64(randomBytes(KEY_LENGTH));
}
