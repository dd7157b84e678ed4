// The two shapes a back end implements for one key: sealing with a given nonce, and opening.

/** A synchronous AES-256-GCM implementation bound to one key (node:crypto or noble). */
export interface SyncAead {
  /** Returns `nonce || ciphertext || tag`. */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  /** Returns the plaintext of `ciphertext || tag`; throws (anything) when authentication fails. */
  open(nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad: Uint8Array): Uint8Array;
}

/** An asynchronous AES-256-GCM implementation bound to one key (WebCrypto). */
export interface AsyncAead {
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  open(nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
}
