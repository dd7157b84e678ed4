// Output memory for encoded frames: small frames are carved out of a shared slab, like Node's
// Buffer pool, because allocating a fresh ArrayBuffer costs more than encoding a small event.
//
// A returned frame is a view (`byteOffset` may be non-zero, `buffer` may be shared with other
// frames); it is never written again once handed out. Large frames get their own buffer.

/** Slab size. A retained small frame keeps at most this much memory alive. */
const SLAB_SIZE = 16 * 1024;
/** Frames whose worst-case size is above this do not use the slab. */
export const POOLED_MAX = SLAB_SIZE >>> 2;

let slab = new Uint8Array(SLAB_SIZE);
let slabOffset = 0;

/**
 * Returns the offset in {@link pooledSlab} at which `bound` (≤ {@link POOLED_MAX}) bytes are
 * free to write, starting a new slab when the current one is too full. Call
 * {@link commitPooled} with the end actually written before anything else reserves.
 */
export function reservePooled(bound: number): number {
  if (SLAB_SIZE - slabOffset < bound) {
    slab = new Uint8Array(SLAB_SIZE);
    slabOffset = 0;
  }
  return slabOffset;
}

/** The current slab (valid between {@link reservePooled} and {@link commitPooled}). */
export function pooledSlab(): Uint8Array {
  return slab;
}

/** Hands out `[start, end)` of the slab as a frame; the next reservation starts after it. */
export function commitPooled(start: number, end: number): Uint8Array {
  slabOffset = (end + 7) & ~7; // 8-byte alignment, as Node's pool does
  return slab.subarray(start, end);
}

let scratch = new Uint8Array(0);
/** Largest scratch buffer kept between calls (it stays allocated); bigger frames go another way. */
export const SCRATCH_MAX = 256 * 1024;

/** A reusable buffer of at least `size` (at most {@link SCRATCH_MAX}) bytes; copy out of it. */
export function scratchOf(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, 2 * scratch.length, 1024));
  return scratch;
}
