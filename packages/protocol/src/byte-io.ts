// Big-endian integer reads and writes on a Uint8Array, without a DataView per call.

/** Reads a big-endian u16 at `o`. The caller has checked the bounds. */
export function readU16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

/** Reads a big-endian u32 at `o`. The caller has checked the bounds. */
export function readU32(b: Uint8Array, o: number): number {
  // Multiply the top byte instead of shifting it: `<< 24` would go negative past 2^31.
  return b[o]! * 0x1000000 + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
}

/** Writes `v` as a big-endian u16 at `o`. */
export function writeU16(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 8;
  b[o + 1] = v;
}

/** Writes `v` as a big-endian u32 at `o`. */
export function writeU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}
