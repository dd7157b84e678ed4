// Both raw DEFLATE back ends: byte-compatible, bounded inflation (a 200 MB bomb with memory flat),
// corrupt and truncated input.
import { createDeflateRaw } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SyncDeflater } from '../src/deflater.js';
import { nodeDeflater } from '../src/node-deflater.js';
import { pakoDeflater } from '../src/pako-deflater.js';

const MB = 1024 * 1024;
const impls: [string, SyncDeflater][] = [
  ['node:zlib', nodeDeflater],
  ['pako', pakoDeflater],
];
const sample = new TextEncoder().encode(
  JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ id: i, name: `user ${i}` }))),
);

/** 200 MB of zeros as raw DEFLATE (about 200 KB), built by streaming one reused 1 MB buffer. */
async function bomb(): Promise<Uint8Array> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const zeros = Buffer.alloc(MB);
  for (let i = 0; i < 200; i++) deflate.write(zeros);
  deflate.end();
  await new Promise((resolve) => deflate.on('end', resolve));
  return Buffer.concat(chunks);
}

let theBomb: Uint8Array;
beforeAll(async () => {
  theBomb = await bomb();
});

describe.each(impls)('%s deflater', (_name, impl) => {
  it('round-trips with both back ends at every level', () => {
    for (const level of [1, 6, 9]) {
      const packed = impl.deflate(sample, level);
      expect(packed.length).toBeLessThan(sample.length / 3);
      for (const [, other] of impls)
        expect(Buffer.from(other.inflate(packed, MB))).toEqual(Buffer.from(sample));
    }
  });

  it('stops a 200 MB bomb at the limit with ERR_MSG_004, memory flat', () => {
    expect(theBomb.length).toBeLessThan(300 * 1024);
    const before = process.memoryUsage();
    expect(() => impl.inflate(theBomb, MB)).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_004' }),
    );
    const after = process.memoryUsage();
    // An unbounded inflate leaves about 400 MB of buffers and RSS behind here (measured).
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(32 * MB);
    expect(after.rss - before.rss).toBeLessThan(64 * MB);
  });

  it('accepts exactly the limit', () => {
    const packed = impl.deflate(sample, 6);
    expect(impl.inflate(packed, sample.length).length).toBe(sample.length);
    expect(() => impl.inflate(packed, sample.length - 1)).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_004' }),
    );
  });

  it('corrupt or truncated DEFLATE is ERR_MSG_002', () => {
    const packed = impl.deflate(sample, 6);
    const err = expect.objectContaining({ code: 'ERR_MSG_002' });
    expect(() => impl.inflate(packed.subarray(0, packed.length - 8), MB)).toThrow(err);
    expect(() => impl.inflate(new Uint8Array([0xff, 0xfe, 0xfd, 0x01]), MB)).toThrow(err);
    expect(() => impl.inflate(new Uint8Array(0), MB)).toThrow(err);
  });
});
