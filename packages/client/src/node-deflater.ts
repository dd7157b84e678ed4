// Raw DEFLATE with node:zlib (Node entry only): the output bound is zlib's own maxOutputLength.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { inflateFailed, inflateTooLarge, type SyncDeflater } from './deflater.js';

/**
 * node:zlib's raw DEFLATE. `maxOutputLength` makes zlib stop as soon as the output passes the
 * limit (it inflates chunk by chunk), so a decompression bomb never gets inflated in memory.
 */
export const nodeDeflater: SyncDeflater = {
  deflate(bytes, level) {
    return deflateRawSync(bytes, { level });
  },
  inflate(bytes, limit) {
    try {
      return inflateRawSync(bytes, { maxOutputLength: Math.max(1, limit) });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw inflateTooLarge(limit);
      throw inflateFailed(err);
    }
  },
};
