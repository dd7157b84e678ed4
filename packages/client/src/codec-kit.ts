// What a client entry provides for compression and encryption, loaded once on first need: the
// Node entry has it at hand, the browser build fetches it as separate chunks.
import type { Deflater } from './deflater.js';
import type { EncryptionKeyOption } from './encryption-key.js';

/** A key ready for one back end (opaque to the client: only its {@link Sealing} reads it). */
export type SealKey = object;

/** The session fields of the server's CONNECT answer (encryption on). */
export interface SessionAnswer {
  nonce?: unknown;
  group?: { salt?: unknown; seq?: unknown } | undefined;
}

/**
 * The sealing of one connection attempt: the CONNECT with the shared key, the answer with the
 * key bound to this attempt's nonce, everything after with the session keys. Synchronous back
 * ends return bytes, asynchronous ones (WebCrypto) promises; failures are `ERR_MSG_003`.
 */
export interface AttemptSealer {
  /** This attempt's handshake nonce, base64 (the `nonce` field of CONNECT). */
  readonly connectNonce: string;
  seal(plaintext: Uint8Array, aad: Uint8Array): Uint8Array | Promise<Uint8Array>;
  open(sealed: Uint8Array, aad: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Switches to the session keys of the answer; `ERR_CONN_003` when it lacks nonce or group. */
  start(answer: SessionAnswer): void;
}

/** An encryption back end (noble's, or WebCrypto's). */
export interface Sealing {
  /** Where each connection attempt gets its key from the `encryptionKey` option. */
  keySource(option: EncryptionKeyOption): { next(): SealKey | Promise<SealKey> };
  /** The sealing of one connection attempt with `key` (from this back end's key source). */
  attempt(key: SealKey): AttemptSealer;
}

/** The back ends a connection needs; each present only when its feature is on. */
export interface CodecKit {
  deflater?: Deflater;
  sealing?: Sealing;
}

/** Which features the client has turned on. */
export interface CodecNeeds {
  compression: boolean;
  encryption: boolean;
}

/**
 * Provides the back ends for `needs`: synchronously when they are built in, or as a promise
 * when they have to be loaded first (then the first connection attempt waits for them).
 */
export type CodecLoader = (needs: CodecNeeds) => CodecKit | Promise<CodecKit>;
