// Benchmark: server CPU of one broadcast to many real WebSocket clients, plain vs compressed vs
// sealed vs compressed+sealed; and node:zlib compress/decompress throughput for 1 KB and 16 KB.
//
//   pnpm --filter @smartsocket/server bench          (BENCH_CLIENTS=1000, BENCH_ROUNDS=9)
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  encodeSessionNonce,
  generateKey,
  parseKey,
  randomSessionNonce,
  SEAL_OVERHEAD,
  sealFrame,
} from '@smartsocket/crypto';
import { encodeMessage, FrameType, SUBPROTOCOL } from '@smartsocket/protocol';
import { WebSocket } from 'ws';
import { SmartSocket } from '../src/index.js';

const CLIENTS = Math.min(2000, Number(process.env.BENCH_CLIENTS ?? 1000));
const ROUNDS = Math.min(25, Number(process.env.BENCH_ROUNDS ?? 9));
const KEY = generateKey();

/** A JSON payload of about `bytes` bytes, compressible like real application data. */
function payload(bytes: number): unknown {
  const rows: unknown[] = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const row = {
      id: i,
      name: `player-${(i * 7919) % 1000}`,
      score: (i * 104729) % 10007,
      online: i % 3 === 0,
    };
    rows.push(row);
    size += JSON.stringify(row).length + 1;
  }
  return rows;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const cpuMicros = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return d.user + d.system;
};

/** A bare client: CONNECT (sealed when keyed), then only counts incoming messages. */
class CountingClient {
  received = 0;
  #waiter: (() => void) | undefined;
  #target = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', () => {
      this.received++;
      if (this.#waiter && this.received >= this.#target) {
        const w = this.#waiter;
        this.#waiter = undefined;
        w();
      }
    });
  }

  static async connect(port: number, key: string | undefined): Promise<CountingClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/smartsocket`, [SUBPROTOCOL]);
    const client = new CountingClient(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    // A sealed CONNECT carries this client's fresh session nonce (the key schedule's input).
    const nonce = key ? { nonce: encodeSessionNonce(randomSessionNonce()) } : {};
    const body = { caps: { compression: ['deflate'], binary: true }, ...nonce };
    const connect = { type: FrameType.CONNECT, namespace: '/' } as const;
    const section = new TextEncoder().encode(JSON.stringify(body));
    ws.send(
      key ? sealFrame(parseKey(key), connect, section) : encodeMessage({ ...connect, data: body }),
    );
    await client.until(1);
    return client;
  }

  until(count: number): Promise<void> {
    if (this.received >= count) return Promise.resolve();
    this.#target = count;
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }
}

interface Setup {
  server: SmartSocket;
  clients: CountingClient[];
}

async function setup(encryptionKey: string | undefined): Promise<Setup> {
  const server = new SmartSocket({
    host: '127.0.0.1',
    port: 0,
    encryptionKey,
    enableEncryption: encryptionKey !== undefined,
    enableMetrics: false,
  });
  await server.start();
  const clients: CountingClient[] = [];
  for (let i = 0; i < CLIENTS; i += 50) {
    const batch = Math.min(50, CLIENTS - i);
    clients.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () => CountingClient.connect(server.port, encryptionKey)),
      )),
    );
  }
  return { server, clients };
}

/** Server CPU (µs) of one broadcast: encode, compress/seal, queue and write to every socket. */
async function broadcastCpu(s: Setup, compress: boolean, data: unknown): Promise<number> {
  const expected = s.clients[0]!.received + 1;
  const start = process.cpuUsage();
  s.server.compress(compress).emit('tick', data);
  // Every send queue flushes in a microtask queued during emit, before this continuation.
  await Promise.resolve();
  const micros = cpuMicros(start);
  await Promise.all(s.clients.map((c) => c.until(expected)));
  return micros;
}

/** Median µs of one call of `fn`, timed over batches. */
function microsPerCall(fn: () => void): number {
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < 50; i++) fn();
    samples.push(cpuMicros(start) / 50);
  }
  return median(samples);
}

async function broadcastBench(): Promise<void> {
  const data = payload(16 * 1024);
  const section = new TextEncoder().encode(JSON.stringify(data));
  const plainSrv = await setup(undefined);
  const sealedSrv = await setup(KEY);
  const cases = [
    { name: 'plain', s: plainSrv, compress: false },
    { name: 'compressed', s: plainSrv, compress: true },
    { name: 'sealed', s: sealedSrv, compress: false },
    { name: 'compressed+sealed', s: sealedSrv, compress: true },
  ];
  const samples = new Map(cases.map((c) => [c.name, [] as number[]]));
  for (const c of cases) for (let i = 0; i < 2; i++) await broadcastCpu(c.s, c.compress, data); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order every round so drift in machine load spreads over every case.
    const order = r % 2 === 0 ? cases : [...cases].reverse();
    for (const c of order) samples.get(c.name)!.push(await broadcastCpu(c.s, c.compress, data));
  }
  const key = parseKey(KEY);
  const head = { type: FrameType.EVENT, namespace: '/', event: 'tick' } as const;
  const deflateOnce = microsPerCall(() => deflateRawSync(section, { level: 6 }));
  const sealOnce = microsPerCall(() => sealFrame(key, head, section));
  const plain = median(samples.get('plain')!);
  console.log(
    `\nBroadcast of a ${(section.length / 1024).toFixed(1)} KB JSON event to ${CLIENTS} WebSocket clients ` +
      `(server CPU per broadcast, median of ${ROUNDS} alternating rounds):\n`,
  );
  console.log('| case | CPU per broadcast | per recipient | extra vs plain |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const c of cases) {
    const m = median(samples.get(c.name)!);
    console.log(
      `| ${c.name} | ${(m / 1000).toFixed(2)} ms | ${(m / CLIENTS).toFixed(1)} µs | ${c.name === 'plain' ? '—' : `${((m - plain) / 1000).toFixed(2)} ms`} |`,
    );
  }
  console.log(
    `\nOne deflateRawSync of that section (level 6): ${(deflateOnce / 1000).toFixed(3)} ms; ` +
      `one sealFrame: ${(sealOnce / 1000).toFixed(3)} ms (+${SEAL_OVERHEAD} bytes).`,
  );
  console.log(
    `Done per recipient instead, ${CLIENTS} recipients would cost ` +
      `${((CLIENTS * deflateOnce) / 1000).toFixed(1)} ms of deflate and ` +
      `${((CLIENTS * sealOnce) / 1000).toFixed(1)} ms of sealing per broadcast.`,
  );
  for (const s of [plainSrv, sealedSrv]) {
    for (const c of s.clients) c.ws.terminate();
    await s.server.stop();
  }
}

function throughputBench(): void {
  console.log(`\nnode:zlib raw DEFLATE (level 6), median of ${ROUNDS} rounds:\n`);
  console.log('| op | size | compressed to | ops/s | MB/s (uncompressed) |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const kb of [1, 16]) {
    const section = new TextEncoder().encode(JSON.stringify(payload(kb * 1024)));
    const packed = deflateRawSync(section, { level: 6 });
    const ops = {
      deflate: () => deflateRawSync(section, { level: 6 }),
      inflate: () => inflateRawSync(packed, { maxOutputLength: 16 * 1024 * 1024 }),
    };
    for (const [name, fn] of Object.entries(ops)) {
      const us = microsPerCall(fn);
      const perSec = 1e6 / us;
      console.log(
        `| ${name} | ${kb} KB | ${((packed.length / section.length) * 100).toFixed(0)} % | ${Math.round(perSec).toLocaleString('en-US')} | ${((perSec * section.length) / 1e6).toFixed(0)} |`,
      );
    }
  }
}

throughputBench();
await broadcastBench();
