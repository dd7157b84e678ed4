// deflate-codec: the 10 % rule and the error mapping of bounded inflate.
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deflateSection, inflateSection } from '../src/deflate-codec.js';

describe('deflateSection / inflateSection', () => {
  it('compresses only when it saves at least 10 %, and round-trips', () => {
    const text = new TextEncoder().encode('{"a":1}'.repeat(500));
    const packed = deflateSection(text, 6)!;
    expect(packed.length).toBeLessThan(text.length * 0.9);
    expect(new Uint8Array(inflateSection(packed, text.length))).toEqual(text);
    expect(deflateSection(randomBytes(2048), 6)).toBeUndefined();
    // 85 % random + 15 % zeros: DEFLATE saves a little under 15 %; 95/5 saves under 10 %.
    const mixed = (zeros: number) =>
      Buffer.concat([randomBytes(2000 - zeros), Buffer.alloc(zeros)]);
    expect(deflateSection(mixed(300), 6)).toBeDefined();
    expect(deflateSection(mixed(100), 6)).toBeUndefined();
  });

  it('stops at maxOutput with ERR_MSG_004; corrupt or truncated data is ERR_MSG_002', () => {
    const zeros = deflateRawSync(Buffer.alloc(64 * 1024));
    expect(inflateSection(zeros, 64 * 1024).length).toBe(64 * 1024);
    expect(() => inflateSection(zeros, 64 * 1024 - 1)).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_004' }),
    );
    expect(() => inflateSection(new Uint8Array([0xff, 0xff, 0xff]), 1024)).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_002' }),
    );
    expect(() => inflateSection(zeros.subarray(0, zeros.length - 2), 1 << 20)).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_002' }),
    );
  });
});
