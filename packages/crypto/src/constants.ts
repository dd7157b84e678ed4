// Sizes of the sealed data section: nonce(12) || ciphertext || tag(16) (see docs/PROTOCOL.md).

/** AES-256 key length in bytes. */
export const KEY_LENGTH = 32;
/** GCM nonce length in bytes: 96 bits, the length GCM is designed for. */
export const NONCE_LENGTH = 12;
/** GCM authentication tag length in bytes: the full 128 bits, never truncated. */
export const TAG_LENGTH = 16;
/** Bytes a sealed section adds to its plaintext: nonce plus tag. */
export const SEAL_OVERHEAD = NONCE_LENGTH + TAG_LENGTH;
/** The one algorithm SmartSocket uses (option `encryptionAlgorithm`). */
export const ENCRYPTION_ALGORITHM = 'aes-256-gcm';
