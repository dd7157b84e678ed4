// The one interface compression goes through: node:zlib on Node, native streams or pako in browsers.
import { SmartSocketError } from '@smartsocket/protocol';

/**
 * Raw DEFLATE (RFC 1951) both ways. The package entries inject an implementation (node:zlib on
 * Node; in browsers CompressionStream, or pako where it is missing), so a browser bundle never
 * contains node:zlib. Synchronous back ends return bytes, asynchronous ones (the browser's
 * streams) a promise; the connection keeps frames in order either way.
 */
export interface Deflater {
  /** Raw DEFLATE of `bytes` at `level` (1-9). */
  deflate(bytes: Uint8Array, level: number): Uint8Array | Promise<Uint8Array>;
  /**
   * Inflates raw DEFLATE, bounded while it runs: past `limit` output bytes it stops with
   * `ERR_MSG_004` without holding more than about `limit` bytes; corrupt or truncated input is
   * `ERR_MSG_002`.
   */
  inflate(bytes: Uint8Array, limit: number): Uint8Array | Promise<Uint8Array>;
}

/** A {@link Deflater} that answers at once (node:zlib, pako). */
export interface SyncDeflater extends Deflater {
  deflate(bytes: Uint8Array, level: number): Uint8Array;
  inflate(bytes: Uint8Array, limit: number): Uint8Array;
}

/** The section inflates to more than `limit` bytes. */
export function inflateTooLarge(limit: number): SmartSocketError {
  return new SmartSocketError(
    'ERR_MSG_004',
    `Decompressed data section exceeds maxPayload (${limit} bytes)`,
  );
}

/** Corrupt or truncated DEFLATE data. */
export function inflateFailed(cause?: unknown): SmartSocketError {
  return new SmartSocketError('ERR_MSG_002', 'Decompression failed: corrupt DEFLATE data', {
    cause,
  });
}

/** The inflate output chunks as one array (the chunk itself when there is only one). */
export function concatChunks(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
