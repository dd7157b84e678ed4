// Raw DEFLATE with the browser's own CompressionStream/DecompressionStream('deflate-raw'):
// native speed and no pako download; asynchronous, so the connection keeps frames in order.
import {
  concatChunks as concat,
  type Deflater,
  inflateFailed,
  inflateTooLarge,
} from './deflater.js';

/** True when this runtime has both streams and they take 'deflate-raw'. */
export function hasNativeDeflate(): boolean {
  try {
    new DecompressionStream('deflate-raw');
    new CompressionStream('deflate-raw');
    return true;
  } catch {
    return false;
  }
}

/**
 * Inflates `bytes` through a DecompressionStream, bounded while it runs. A stream inflates each
 * written chunk whole, so the input goes in slices that cannot expand (DEFLATE stays under about
 * 1:1032) to much more than `limit`, each written only once the output before it was read; the
 * reading stops, and cancels the stream, as soon as the total passes `limit`.
 */
async function inflate(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const slice = Math.min(64 * 1024, Math.max(256, limit >> 10));
  let stopped = false;
  // Write errors surface on the reading side (the stream errors both); nothing to do here.
  (async () => {
    for (let i = 0; i < bytes.length && !stopped; i += slice) {
      await writer.ready;
      await writer.write(bytes.subarray(i, i + slice) as Uint8Array<ArrayBuffer>);
    }
    if (!stopped) await writer.close();
  })().catch(() => {});
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return concat(chunks, total);
      total += value.length;
      if (total > limit) {
        stopped = true;
        reader.cancel().catch(() => {});
        throw inflateTooLarge(limit);
      }
      chunks.push(value);
    }
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_MSG_004') throw err;
    throw inflateFailed(err);
  }
}

/**
 * The native raw DEFLATE. `level` is not adjustable with CompressionStream (the browser's
 * default applies); inflation is bounded like every other back end's (`ERR_MSG_004`).
 */
export const nativeDeflater: Deflater = {
  async deflate(bytes) {
    const out = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new CompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(out).arrayBuffer());
  },
  inflate,
};
