// A key ready to seal and open data sections, with its back end's key setup done once.
import type { AsyncAead, SyncAead } from './aead.js';
import { NONCE_LENGTH, SEAL_OVERHEAD } from './constants.js';
import { decryptionFailed } from './errors.js';
import { randomNonce } from './random.js';

/** Which implementation seals: `'node'` (node:crypto), `'noble'` (@noble/ciphers) or `'webcrypto'`. */
export type CipherBackend = 'node' | 'noble' | 'webcrypto';

/** Derives a key of the same back end from the key's material (HKDF-SHA256, 32 bytes). */
export type KeyDeriver = (salt: Uint8Array, info: Uint8Array) => CipherKey;

/** Uint8Array (Buffer included), also from another realm (iframe, vm), as noble checks it. */
export function isBytes(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array ||
    (ArrayBuffer.isView(value) && value.constructor?.name === 'Uint8Array')
  );
}

function checkSealInput(plaintext: unknown, aad: unknown): void {
  // A programming error, not a wire error: the caller passed something that is not bytes.
  if (!isBytes(plaintext)) throw new TypeError('seal: plaintext must be a Uint8Array');
  if (!isBytes(aad)) throw new TypeError('seal: aad must be a Uint8Array');
}

function splitSealed(sealed: unknown, aad: unknown): [Uint8Array, Uint8Array] {
  if (!isBytes(sealed) || !isBytes(aad) || sealed.length < SEAL_OVERHEAD) throw decryptionFailed();
  return [sealed.subarray(0, NONCE_LENGTH), sealed.subarray(NONCE_LENGTH)];
}

/**
 * An AES-256-GCM key bound to a back end. Create it with `createCipherKey(raw)` or
 * `parseKey(base64)`; its `seal`/`open` are synchronous (node:crypto or noble), `sealAsync`/
 * `openAsync` use WebCrypto when the key's back end is `'webcrypto'`. Every back end produces and
 * accepts the same bytes: `nonce(12) || ciphertext || tag(16)`.
 *
 * @example
 * const key = parseKey(process.env.ENCRYPTION_KEY);
 * const sealed = key.seal(plaintext, aad);
 * key.open(sealed, aad); // → plaintext, or throws ERR_MSG_003
 */
export class CipherKey {
  readonly backend: CipherBackend;
  readonly #sync: SyncAead;
  readonly #async: AsyncAead | undefined;
  readonly #derive: KeyDeriver;

  /** @internal Use `createCipherKey` or `parseKey`. */
  constructor(
    backend: CipherBackend,
    sync: SyncAead,
    asyncAead: AsyncAead | undefined,
    derive: KeyDeriver,
  ) {
    this.backend = backend;
    this.#sync = sync;
    this.#async = asyncAead;
    this.#derive = derive;
  }

  /** Seals `plaintext` under a fresh random nonce, authenticating `aad` too. */
  seal(plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    checkSealInput(plaintext, aad);
    return this.#sync.seal(randomNonce(NONCE_LENGTH), plaintext, aad);
  }

  /**
   * Seals under the given 12-byte `nonce`. The caller guarantees the nonce is never used twice
   * with this key (a counter does: see `SequencedKey`); reuse would void GCM's guarantees.
   */
  sealWithNonce(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    checkSealInput(plaintext, aad);
    if (!isBytes(nonce) || nonce.length !== NONCE_LENGTH)
      throw new TypeError(`seal: nonce must be ${NONCE_LENGTH} bytes`);
    return this.#sync.seal(nonce, plaintext, aad);
  }

  /**
   * A new key of the same back end: the first 32 bytes of HKDF-SHA256 with this key as input
   * key material. The key material itself never leaves the key.
   *
   * @example
   * const c2s = shared.derive(concat(clientNonce, serverNonce), utf8('smartsocket v1 client to server'));
   */
  derive(salt: Uint8Array, info: Uint8Array): CipherKey {
    if (!isBytes(salt) || !isBytes(info))
      throw new TypeError('derive: salt and info must be Uint8Arrays');
    return this.#derive(salt, info);
  }

  /** Opens what any back end sealed; throws `ERR_MSG_003` on any failure. */
  open(sealed: Uint8Array, aad: Uint8Array): Uint8Array {
    const [nonce, rest] = splitSealed(sealed, aad);
    try {
      return this.#sync.open(nonce, rest, aad);
    } catch {
      throw decryptionFailed();
    }
  }

  /** Like {@link CipherKey.seal}, through WebCrypto when this key's back end is `'webcrypto'`. */
  async sealAsync(plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    checkSealInput(plaintext, aad);
    const nonce = randomNonce(NONCE_LENGTH);
    return this.#async
      ? this.#async.seal(nonce, plaintext, aad)
      : this.#sync.seal(nonce, plaintext, aad);
  }

  /** Like {@link CipherKey.open}, through WebCrypto when this key's back end is `'webcrypto'`. */
  async openAsync(sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    const [nonce, rest] = splitSealed(sealed, aad);
    try {
      return this.#async
        ? await this.#async.open(nonce, rest, aad)
        : this.#sync.open(nonce, rest, aad);
    } catch {
      throw decryptionFailed();
    }
  }

  /** Keeps key material out of logs and JSON. */
  toJSON(): string {
    return `[CipherKey ${this.backend}]`;
  }

  toString(): string {
    return this.toJSON();
  }
}

/**
 * Seals `plaintext` with `key` under a fresh random nonce: `nonce(12) || ciphertext || tag(16)`.
 *
 * @example
 * const sealed = seal(key, section, frameAad(head));
 */
export function seal(key: CipherKey, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  return key.seal(plaintext, aad);
}

/**
 * Opens a sealed section; tampered bytes, a wrong key, a wrong AAD or input shorter than 28 bytes
 * all throw `ERR_MSG_003`.
 *
 * @example
 * const section = open(key, frame.data, frame.aad);
 */
export function open(key: CipherKey, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  return key.open(sealed, aad);
}

/** Async {@link seal}: WebCrypto when `key.backend` is `'webcrypto'`. */
export function sealAsync(
  key: CipherKey,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  return key.sealAsync(plaintext, aad);
}

/** Async {@link open}: WebCrypto when `key.backend` is `'webcrypto'`. */
export function openAsync(
  key: CipherKey,
  sealed: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  return key.openAsync(sealed, aad);
}
