// Seal/open throughput per back end (node:crypto, noble, WebCrypto) for 1 KB and 16 KB sections.
// Each round measures every case once, in rotating order; the table shows the median of the rounds.
// Run: pnpm --filter @smartsocket/crypto bench   (ROUNDS=7, BUDGET_MS=120 per measurement by default)
import {
  type CipherBackend,
  createCipherKey,
  decodeKey,
  generateKey,
  NonceKind,
  randomSessionNonce,
  SequencedKey,
  SessionCipher,
} from '../src/index.js';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const BUDGET_MS = Number(process.env.BUDGET_MS ?? 120);
const SIZES = [1024, 16 * 1024];
const BACKENDS: CipherBackend[] = ['node', 'noble', 'webcrypto'];
const aad = Uint8Array.from({ length: 14 }, (_, i) => i);
const raw = decodeKey(generateKey());

interface Case {
  name: string;
  size: number;
  backend: CipherBackend;
  op: 'seal' | 'open';
  run: () => unknown;
}

const cases: Case[] = [];
for (const size of SIZES) {
  const plain = Uint8Array.from({ length: size }, (_, i) => (i * 13) & 0xff);
  for (const backend of BACKENDS) {
    const key = createCipherKey(raw, { backend });
    const sealed = key.seal(plain, aad);
    // WebCrypto is async-only: measure its async API; the other two their sync API (the hot path).
    const isAsync = backend === 'webcrypto';
    cases.push({
      name: `${backend} seal ${size / 1024} KB`,
      size,
      backend,
      op: 'seal',
      run: isAsync ? () => key.sealAsync(plain, aad) : () => key.seal(plain, aad),
    });
    cases.push({
      name: `${backend} open ${size / 1024} KB`,
      size,
      backend,
      op: 'open',
      run: isAsync ? () => key.openAsync(sealed, aad) : () => key.open(sealed, aad),
    });
  }
}

/** Operations per second over about BUDGET_MS, in batches so the clock is read rarely. */
async function measure(c: Case): Promise<number> {
  const batch = c.size > 4096 ? 16 : 64;
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < BUDGET_MS) {
    for (let i = 0; i < batch; i++) {
      const r = c.run();
      if (r instanceof Promise) await r;
    }
    ops += batch;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const results = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (const c of cases) await measure(c); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  const order = cases.map((_, i) => cases[(i + round) % cases.length] as Case);
  if (round % 2 === 1) order.reverse();
  for (const c of order) results.get(c.name)?.push(await measure(c));
}

console.log(
  `@smartsocket/crypto seal/open, Node ${process.version}, ${ROUNDS} rounds × ${BUDGET_MS} ms, medians`,
);
console.log('| back end | op | size | ops/s | MB/s | vs noble |');
console.log('|---|---|---|---:|---:|---:|');
for (const c of cases) {
  const ops = median(results.get(c.name) ?? []);
  const noble = median(results.get(`noble ${c.op} ${c.size / 1024} KB`) ?? []);
  const mbs = (ops * c.size) / 1e6;
  console.log(
    `| ${c.backend} | ${c.op} | ${c.size / 1024} KB | ${Math.round(ops).toLocaleString('en-US')} | ${mbs.toFixed(0)} | ${(ops / noble).toFixed(1)}× |`,
  );
}

// Session keys: sealing under a counter nonce (every frame after the handshake) next to a random
// nonce, and the per-connection key setup (HKDF-SHA256 twice, two key setups) per back end.
const sessionCases: Case[] = [];
const nc = randomSessionNonce();
const ns = randomSessionNonce();
for (const backend of ['node', 'noble'] as CipherBackend[]) {
  const key = createCipherKey(raw, { backend });
  const plain = new Uint8Array(1024);
  const counter = new SequencedKey(key, NonceKind.SERVER_TO_CLIENT);
  sessionCases.push(
    {
      name: `${backend} random-nonce seal 1 KB`,
      size: 1024,
      backend,
      op: 'seal',
      run: () => key.seal(plain, aad),
    },
    {
      name: `${backend} counter-nonce seal 1 KB`,
      size: 1024,
      backend,
      op: 'seal',
      run: () => counter.seal(plain, aad),
    },
    {
      name: `${backend} session key setup`,
      size: 0,
      backend,
      op: 'seal',
      run: () => SessionCipher.forServer(key, nc, ns),
    },
  );
}
const sessionResults = new Map<string, number[]>(sessionCases.map((c) => [c.name, []]));
for (const c of sessionCases) await measure(c);
for (let round = 0; round < ROUNDS; round++)
  for (const c of round % 2 ? [...sessionCases].reverse() : sessionCases)
    sessionResults.get(c.name)?.push(await measure(c));
console.log('\n| session keys | ops/s |');
console.log('|---|---:|');
for (const c of sessionCases)
  console.log(
    `| ${c.name} | ${Math.round(median(sessionResults.get(c.name) ?? [])).toLocaleString('en-US')} |`,
  );
