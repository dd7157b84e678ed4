// Benchmark: raw DEFLATE compress/decompress throughput of the client's two back ends
// (node:zlib on Node, pako in browsers) for 1 KB and 16 KB JSON sections, level 6, bounded
// inflate as the client runs it. Medians over alternating rounds; no network.
//
//   pnpm --filter @smartsocket/client bench          (BENCH_ROUNDS=9)
import type { Deflater } from '../src/deflater.js';
import { nodeDeflater } from '../src/node-deflater.js';
import { pakoDeflater } from '../src/pako-deflater.js';

const ROUNDS = Math.min(25, Number(process.env.BENCH_ROUNDS ?? 9));
const SLICE_MS = 150;
const LIMIT = 16 * 1024 * 1024;
const backends: Record<string, Deflater> = { 'node:zlib': nodeDeflater, pako: pakoDeflater };

/** UTF-8 JSON of about `bytes` bytes, compressible like real application data. */
function section(bytes: number): Uint8Array {
  const rows: unknown[] = [];
  for (let i = 0; JSON.stringify(rows).length < bytes; i++) {
    rows.push({ id: i, name: `player-${(i * 7919) % 1000}`, score: (i * 104729) % 10007 });
  }
  return new TextEncoder().encode(JSON.stringify(rows));
}

/** Operations per second of `fn` over one time slice. */
function opsPerSecond(fn: () => void): number {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < SLICE_MS) {
    for (let i = 0; i < 16; i++) fn();
    n += 16;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const rows: string[][] = [];
for (const size of [1024, 16 * 1024]) {
  const plain = section(size);
  const compressed = nodeDeflater.deflate(plain, 6);
  const samples = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, d] of Object.entries(backends)) {
      const deflate = opsPerSecond(() => d.deflate(plain, 6));
      const inflate = opsPerSecond(() => d.inflate(compressed, LIMIT));
      for (const [op, v] of [
        ['deflate', deflate],
        ['inflate', inflate],
      ] as const) {
        const key = `${name}|${op}`;
        samples.set(key, [...(samples.get(key) ?? []), v]);
      }
    }
  }
  for (const [key, values] of samples) {
    const [name, op] = key.split('|') as [string, string];
    const ops = median(values);
    rows.push([
      `${(plain.length / 1024).toFixed(0)} KB`,
      name,
      op,
      Math.round(ops).toLocaleString('en-US'),
      ((ops * plain.length) / 1e6).toFixed(0),
    ]);
  }
}
console.log(`client DEFLATE back ends, level 6, medians of ${ROUNDS} alternating rounds\n`);
console.log(
  '| section | back end | op | ops/s | MB/s (plain) |\n| --- | --- | --- | ---: | ---: |',
);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
