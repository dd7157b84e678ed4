// Raw DEFLATE of data sections (node:zlib): compress when it pays, inflate with a hard output bound.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SmartSocketError } from '@smartsocket/protocol';

/** A section is sent compressed only when DEFLATE makes it at least this much smaller. */
export const MIN_SAVING = 0.1;

/**
 * The raw DEFLATE (RFC 1951) of `section` at `level` (1-9), or `undefined` when it does not save
 * at least 10 % (incompressible data is sent as it is).
 *
 * @example
 * const packed = deflateSection(new TextEncoder().encode('a'.repeat(4096)), 6); // ~20 bytes
 */
export function deflateSection(section: Uint8Array, level: number): Uint8Array | undefined {
  const out = deflateRawSync(section, { level });
  return out.length <= section.length * (1 - MIN_SAVING) ? out : undefined;
}

/**
 * Inflates a COMPRESSED data section, stopping as soon as the output would pass `maxOutput`
 * bytes (zlib's `maxOutputLength`: the inflated bytes are never all held). Throws
 * `SmartSocketError` `ERR_MSG_004` past the bound and `ERR_MSG_002` for corrupt or truncated
 * DEFLATE data.
 *
 * @example
 * inflateSection(packed, 16 * 1024 * 1024);
 */
export function inflateSection(section: Uint8Array, maxOutput: number): Uint8Array {
  try {
    return inflateRawSync(section, { maxOutputLength: Math.max(1, maxOutput) });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new SmartSocketError('ERR_MSG_004', `Inflated data section exceeds ${maxOutput} bytes`);
    throw new SmartSocketError('ERR_MSG_002', 'Corrupt DEFLATE data section');
  }
}
