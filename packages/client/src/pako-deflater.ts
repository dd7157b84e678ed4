// Raw DEFLATE with pako (browser build): deflateRaw, and a streaming Inflate that stops at the limit.
import { deflateRaw, Inflate } from 'pako';
import { type Deflater, inflateFailed, inflateTooLarge } from './deflater.js';

/** Output chunk of the streaming inflate: the most held beyond the limit. */
const CHUNK = 64 * 1024;

/** Marks the abort thrown from `onData` so it is not mistaken for a pako failure. */
class LimitReached extends Error {}

/**
 * pako's raw DEFLATE. Inflation streams in {@link CHUNK}-byte pieces and aborts as soon as the
 * output passes `limit`, so a decompression bomb never gets inflated in memory.
 */
export const pakoDeflater: Deflater = {
  deflate(bytes, level) {
    return deflateRaw(bytes, { level: level as 6 });
  },
  inflate(bytes, limit) {
    const inflater = new Inflate({ raw: true, chunkSize: Math.min(CHUNK, Math.max(limit, 1024)) });
    const chunks: Uint8Array[] = [];
    let total = 0;
    inflater.onData = (chunk) => {
      const piece = chunk as Uint8Array;
      total += piece.length;
      if (total > limit) throw new LimitReached();
      chunks.push(piece);
    };
    let ok: boolean;
    try {
      ok = inflater.push(bytes, true);
    } catch (err) {
      if (err instanceof LimitReached) throw inflateTooLarge(limit);
      throw inflateFailed(err);
    }
    // `ended` false: the input stopped before the final block (truncated).
    if (!ok || inflater.err || !(inflater as unknown as { ended: boolean }).ended)
      throw inflateFailed(inflater.msg || undefined);
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(total);
    let offset = 0;
    for (const c of chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  },
};
