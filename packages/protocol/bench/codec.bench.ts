// Codec micro-benchmark: SmartSocket frames vs a JSON envelope vs socket.io-parser, same run.
//
// Run: pnpm --filter @smartsocket/protocol run bench   (or: pnpm bench:codec at the root)
// Options (env): BENCH_ROUNDS (default 40), BENCH_ROUND_MS (default 25 ms per variant per round).
//
// One operation = encode one event into the bytes handed to the WebSocket + decode those bytes
// back into (namespace, event, data). The variants run alternately in short slices, round after
// round, so CPU frequency drift, GC pressure and other processes on the machine hit all of them
// alike. Ratios are the median of per-round ratios (each compares slices run back to back),
// which is much steadier on a busy machine than a ratio of medians.
import { Decoder, Encoder, type Packet, PacketType } from 'socket.io-parser';
import { decodeFrameData, decodeFrames, encodeMessage, FrameType } from '../src/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 25);

interface Payload {
  label: string;
  namespace: string;
  event: string;
  data: unknown;
}

const small: Payload = {
  label: '~100 B event',
  namespace: '/chat',
  event: 'chat',
  data: {
    type: 'chat',
    room: 'general',
    user: 'alice',
    text: 'Hello, how are you?',
    ts: 1732245600000,
  },
};

function bigData(): unknown {
  const items = [];
  for (let i = 0; items.length < 1000; i++) {
    items.push({ id: i, name: `player-${i}`, score: (i * 7919) % 10_000, online: i % 3 === 0 });
    if (JSON.stringify(items).length > 16 * 1024 - 64) break;
  }
  return { type: 'leaderboard', items };
}

const large: Payload = {
  label: '16 KB event',
  namespace: '/quiz',
  event: 'leaderboard',
  data: bigData(),
};

/** A variant turns (namespace, event, data) into wire bytes and back. Returns a checksum. */
type Variant = { name: string; run: (p: Payload) => number };

const smartsocket: Variant = {
  name: 'smartsocket',
  run(p) {
    const bytes = encodeMessage({
      type: FrameType.EVENT,
      namespace: p.namespace,
      event: p.event,
      data: p.data,
    });
    const frame = decodeFrames(bytes)[0]!;
    const data = decodeFrameData(frame) as object;
    return bytes.length + frame.event.length + (data === null ? 0 : 1);
  },
};

const jsonEnvelope: Variant = {
  name: 'JSON envelope',
  run(p) {
    // What a hand-rolled protocol does: {nsp, event, data} as JSON text in a Buffer.
    const bytes = Buffer.from(JSON.stringify({ nsp: p.namespace, event: p.event, data: p.data }));
    const msg = JSON.parse(bytes.toString()) as { event: string; data: object };
    return bytes.length + msg.event.length + (msg.data === null ? 0 : 1);
  },
};

const sioEncoder = new Encoder();
const sioDecoder = new Decoder();
let sioDecoded: Packet | undefined;
sioDecoder.on('decoded', (packet: Packet) => {
  sioDecoded = packet;
});

const socketIoParser: Variant = {
  name: 'socket.io-parser',
  run(p) {
    // Socket.IO: Encoder.encode → engine.io prefixes "4" (message) → ws sends the string as UTF-8.
    const packet: Packet = { type: PacketType.EVENT, nsp: p.namespace, data: [p.event, p.data] };
    const encoded = sioEncoder.encode(packet)[0] as string;
    const bytes = Buffer.from(`4${encoded}`);
    // Receiving side: ws hands a Buffer, engine.io makes it a string, strips "4", parser decodes.
    const text = bytes.toString();
    sioDecoder.add(text.slice(1));
    const args = sioDecoded!.data as [string, object];
    return bytes.length + args[0].length + (args[1] === null ? 0 : 1);
  },
};

const variants = [smartsocket, jsonEnvelope, socketIoParser];

/** Runs `variant` on `p` for about ROUND_MS; returns operations per second. */
function measure(variant: Variant, p: Payload): number {
  let sink = 0;
  for (let i = 0; i < 20; i++) sink += variant.run(p); // re-warm caches after the other variants
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ROUND_MS) {
    for (let i = 0; i < 20; i++) sink += variant.run(p);
    ops += 20;
    now = performance.now();
  }
  if (sink === -1) console.log(sink); // keeps the work observable
  return (ops * 1000) / (now - start);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function wireSize(variant: Variant, p: Payload): number {
  if (variant === smartsocket)
    return encodeMessage({
      type: FrameType.EVENT,
      namespace: p.namespace,
      event: p.event,
      data: p.data,
    }).length;
  if (variant === jsonEnvelope)
    return Buffer.byteLength(JSON.stringify({ nsp: p.namespace, event: p.event, data: p.data }));
  const packet: Packet = { type: PacketType.EVENT, nsp: p.namespace, data: [p.event, p.data] };
  return Buffer.byteLength(`4${sioEncoder.encode(packet)[0] as string}`);
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

console.log(
  `codec micro-benchmark · node ${process.version} · ${ROUNDS} rounds × ${ROUND_MS} ms per variant`,
);
const summary: Record<string, Record<string, number>> = {};
for (const payload of [small, large]) {
  const samples = new Map<Variant, number[]>(variants.map((v) => [v, []]));
  for (const v of variants) measure(v, payload); // warm-up round, not counted: lets the JIT settle
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round so no variant always runs first or last.
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(round + k) % variants.length]!;
      samples.get(v)!.push(measure(v, payload));
    }
  }
  const med = new Map(variants.map((v) => [v, median(samples.get(v)!)]));
  const ss = samples.get(smartsocket)!;
  const ratioTo = (v: Variant): number => median(ss.map((x, i) => x / samples.get(v)![i]!));
  console.log(`\n${payload.label} (encode + decode)`);
  console.table(
    variants.map((v) => ({
      variant: v.name,
      'wire bytes': wireSize(v, payload),
      'ops/s (median)': fmt(med.get(v)!),
      'smartsocket ×': ratioTo(v).toFixed(2),
    })),
  );
  summary[payload.label] = {
    'vs JSON envelope': Number(ratioTo(jsonEnvelope).toFixed(2)),
    'vs socket.io-parser': Number(ratioTo(socketIoParser).toFixed(2)),
  };
}
console.log(
  '\nratios (median per-round smartsocket ops/s ÷ other ops/s; > 1 = smartsocket faster):',
);
console.log(JSON.stringify(summary, null, 2));
