// Raw DEFLATE with pako's zlib engine (browser build). The engine modules directly, not pako's
// wrapper classes: the same code paths, about 2 KB less min+gzip, and the output loop is ours, so
// inflation stops as soon as it passes the limit.
import { deflate, deflateEnd, deflateInit2 } from 'pako/lib/zlib/deflate.js';
import { inflate, inflateEnd, inflateInit2 } from 'pako/lib/zlib/inflate.js';
import ZStream from 'pako/lib/zlib/zstream.js';
import {
  concatChunks as concat,
  inflateFailed,
  inflateTooLarge,
  type SyncDeflater,
} from './deflater.js';

// zlib constants (pako/lib/zlib/constants.js).
const Z_FINISH = 4;
const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
const Z_DEFLATED = 8;
const Z_DEFAULT_STRATEGY = 0;
/** Negative window bits: raw DEFLATE (no zlib header), 32 KB window. */
const RAW_WINDOW = -15;
const MEM_LEVEL = 8;

/** Output chunk of the inflate loop: the most ever held beyond the limit. */
const CHUNK = 64 * 1024;

function stream(input: Uint8Array): ZStream {
  const strm = new ZStream();
  strm.input = input;
  strm.next_in = 0;
  strm.avail_in = input.length;
  return strm;
}

/**
 * Runs `step` until the stream ends, collecting output in chunks of `size` bytes. `onChunk`
 * sees the running total after each chunk (to abort past a limit). Returns the status that
 * ended the loop: Z_STREAM_END, or the failing one.
 */
function drain(
  strm: ZStream,
  size: number,
  step: () => number,
  chunks: Uint8Array[],
  onTotal: (total: number) => void,
): { status: number; total: number } {
  let total = 0;
  for (;;) {
    const out = new Uint8Array(size);
    strm.output = out;
    strm.next_out = 0;
    strm.avail_out = size;
    const status = step();
    if (strm.next_out > 0) {
      total += strm.next_out;
      onTotal(total);
      chunks.push(strm.next_out === size ? out : out.subarray(0, strm.next_out));
    }
    if (status === Z_STREAM_END) return { status, total };
    if (status !== Z_OK && status !== Z_BUF_ERROR) return { status, total };
    // Room left in the output but no end of stream: the input ran out (truncated).
    if (strm.avail_out > 0) return { status: Z_BUF_ERROR, total };
  }
}

/** Thrown from `onTotal` to stop inflating; turned into ERR_MSG_004. */
class LimitReached extends Error {}

/**
 * pako's raw DEFLATE. Inflation produces {@link CHUNK}-byte pieces and stops as soon as the
 * output passes `limit`, so a decompression bomb never gets inflated in memory.
 */
export const pakoDeflater: SyncDeflater = {
  deflate(bytes, level) {
    const strm = stream(bytes);
    deflateInit2(strm, level, Z_DEFLATED, RAW_WINDOW, MEM_LEVEL, Z_DEFAULT_STRATEGY);
    const chunks: Uint8Array[] = [];
    // Usually one chunk: raw DEFLATE never grows data by more than a few bytes per 16 KB.
    const size = bytes.length + (bytes.length >> 8) + 64;
    const { status, total } = drain(
      strm,
      size,
      () => deflate(strm, Z_FINISH),
      chunks,
      () => {},
    );
    deflateEnd(strm);
    if (status !== Z_STREAM_END) throw new Error(`pako deflate failed (${status})`);
    return concat(chunks, total);
  },
  inflate(bytes, limit) {
    const strm = stream(bytes);
    inflateInit2(strm, RAW_WINDOW);
    const chunks: Uint8Array[] = [];
    const size = Math.min(CHUNK, Math.max(1024, limit + 1));
    try {
      const { status, total } = drain(
        strm,
        size,
        () => inflate(strm, Z_FINISH),
        chunks,
        (n) => {
          if (n > limit) throw new LimitReached();
        },
      );
      if (status !== Z_STREAM_END) throw inflateFailed(strm.msg || `status ${status}`);
      return concat(chunks, total);
    } catch (err) {
      if (err instanceof LimitReached) throw inflateTooLarge(limit);
      if ((err as { code?: unknown }).code === 'ERR_MSG_002') throw err;
      throw inflateFailed(err);
    } finally {
      inflateEnd(strm);
    }
  },
};
