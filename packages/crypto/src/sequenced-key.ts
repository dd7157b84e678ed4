// Counter nonces: one key, one direction, strictly increasing counters, so a replayed or
// reordered section fails to open. Layout of the 12-byte GCM nonce: kind(1) 0(3) counter(u64 BE).
import type { CipherKey } from './cipher-key.js';
import { NONCE_LENGTH } from './constants.js';
import { decryptionFailed } from './errors.js';

/**
 * The first nonce byte: which key of a session a section is sealed with.
 *
 * @example
 * const out = new SequencedKey(key, NonceKind.SERVER_TO_CLIENT);
 */
export const NonceKind = {
  /** Client → server session key. */
  CLIENT_TO_SERVER: 0x01,
  /** Server → client session key. */
  SERVER_TO_CLIENT: 0x02,
  /** A namespace's broadcast group key (server → every client of the group). */
  GROUP: 0x03,
} as const;

const TWO_32 = 2 ** 32;

/**
 * The nonce `kind || 00 00 00 || counter` (counter as an unsigned 64-bit big-endian integer).
 *
 * @example
 * counterNonce(NonceKind.GROUP, 7); // 03 00 00 00 00 00 00 00 00 00 00 07
 */
export function counterNonce(kind: number, counter: number): Uint8Array {
  const nonce = new Uint8Array(NONCE_LENGTH);
  const view = new DataView(nonce.buffer);
  nonce[0] = kind;
  view.setUint32(4, Math.floor(counter / TWO_32));
  view.setUint32(8, counter >>> 0);
  return nonce;
}

/**
 * The nonce kind of a sealed section (its first byte), or -1 when it is too short to tell.
 *
 * @example
 * if (nonceKind(frame.data) === NonceKind.GROUP) openWithGroupKey(frame);
 */
export function nonceKind(sealed: Uint8Array): number {
  return sealed.length >= NONCE_LENGTH ? sealed[0]! : -1;
}

/** The counter of a sealed section whose nonce has `kind`, or -1 for any other layout. */
function counterOf(sealed: Uint8Array, kind: number): number {
  if (sealed.length < NONCE_LENGTH || sealed[0] !== kind) return -1;
  if (sealed[1] !== 0 || sealed[2] !== 0 || sealed[3] !== 0) return -1;
  const view = new DataView(sealed.buffer, sealed.byteOffset, NONCE_LENGTH);
  const high = view.getUint32(4);
  // Beyond 2^53 a JS number is no longer exact; no honest peer gets there.
  if (high >= 2 ** 21) return -1;
  return high * TWO_32 + view.getUint32(8);
}

/**
 * One key used in one direction with counter nonces. The sender seals with counters 1, 2, 3, …
 * (never twice the same: GCM's one rule); the receiver opens only counters above the last one it
 * opened, so a section seen before, or older than one seen, is `ERR_MSG_003`. Gaps are allowed:
 * a frame dropped before it left (a volatile emit under backpressure) does not break the session.
 *
 * @example
 * const out = new SequencedKey(key, NonceKind.SERVER_TO_CLIENT);
 * const sealed = out.seal(section, frameAad(head));
 * const back = new SequencedKey(key, NonceKind.SERVER_TO_CLIENT);
 * back.open(sealed, frameAad(head)); // → section; a second time: ERR_MSG_003
 */
export class SequencedKey {
  #counter: number;

  /** `counter`: the last counter already used (sender) or accepted (receiver). */
  constructor(
    readonly key: CipherKey,
    readonly kind: number,
    counter = 0,
  ) {
    this.#counter = counter;
  }

  /** The last counter sealed (sender) or opened (receiver). */
  get counter(): number {
    return this.#counter;
  }

  /** Seals under the next counter. */
  seal(plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    const next = this.#counter + 1;
    if (next > Number.MAX_SAFE_INTEGER) throw decryptionFailed();
    const sealed = this.key.sealWithNonce(counterNonce(this.kind, next), plaintext, aad);
    this.#counter = next;
    return sealed;
  }

  /** Opens a section sealed under a counter above the last one opened; else `ERR_MSG_003`. */
  open(sealed: Uint8Array, aad: Uint8Array): Uint8Array {
    const counter = counterOf(sealed, this.kind);
    if (counter <= this.#counter) throw decryptionFailed();
    const plaintext = this.key.open(sealed, aad);
    // Only an authentic section moves the window: a forged counter cannot block later frames.
    this.#counter = counter;
    return plaintext;
  }
}
