// HKDF-SHA256 (RFC 5869) via WebCrypto `deriveBits`: native, but asynchronous only.

// WebCrypto's BufferSource typing wants ArrayBuffer-backed views; ours always are.
type Source = Uint8Array<ArrayBuffer>;

/** HKDF-SHA256 of `ikm` with `salt` and `info`, `length` bytes (at most 255 × 32). */
export async function webCryptoHkdf(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', ikm as Source, 'HKDF', false, ['deriveBits']);
  const params: HkdfParams = {
    name: 'HKDF',
    hash: 'SHA-256',
    salt: salt as Source,
    info: info as Source,
  };
  return new Uint8Array(await subtle.deriveBits(params, key, length * 8));
}
