// Child process hosting the server under test: starts one implementation, counts connections and
// echoes, runs broadcast bursts locally and reports CPU (process.cpuUsage) and memory on request.
import { readFileSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { serveCommands } from './child-protocol.js';
import { delay, jsonPayload, nowMs, padFor } from './clock.js';
import { loadServerFactory } from './impls/registry.js';
import { type BenchServer, EVENTS, type ImplId, PLAIN, type Variant } from './impls/types.js';
import type { BroadcastArgs, BroadcastStart, ServerMark } from './server-commands.js';

let server: BenchServer | undefined;
let connections = 0;
let echoed = 0;
let waiter: { count: number; resolve: () => void } | undefined;

function checkWaiter(): void {
  if (waiter && connections === waiter.count) {
    waiter.resolve();
    waiter = undefined;
  }
}

const hooks = {
  onConnection: () => {
    connections++;
    checkWaiter();
  },
  onDisconnect: () => {
    connections--;
    checkWaiter();
  },
  onEcho: () => {
    echoed++;
  },
};

function written(): number {
  try {
    const io = readFileSync('/proc/self/io', 'utf8');
    return Number(/^wchar:\s*(\d+)/m.exec(io)?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

function mark(): ServerMark {
  return { cpu: process.cpuUsage(), written: written(), echoed, connections, at: nowMs() };
}

async function broadcast(args: BroadcastArgs): Promise<BroadcastStart> {
  if (!server) throw new Error('server not started');
  const s = server;
  let send: (seq: number) => void;
  if (args.payload === 'json') {
    // Built before the window so payload generation is not counted as server CPU.
    const payloads = Array.from({ length: args.count }, (_, i) =>
      jsonPayload(args.payloadBytes, i + 1),
    );
    send = (seq) => s.broadcast(EVENTS.broadcast, { seq, t: nowMs(), records: payloads[seq] });
  } else {
    const pad = padFor(args.payloadBytes, { seq: args.count, t: nowMs() });
    const room = args.room;
    if (room !== undefined) {
      if (!s.broadcastTo) throw new Error('this implementation cannot broadcast to a room');
      const to = s.broadcastTo.bind(s);
      send = (seq) => to(room, EVENTS.broadcast, { seq, t: nowMs(), pad });
    } else send = (seq) => s.broadcast(EVENTS.broadcast, { seq, t: nowMs(), pad });
  }
  const start: BroadcastStart = { cpu: process.cpuUsage(), written: written(), at: nowMs() };
  if (args.mode === 'tick') {
    // All in one event-loop turn, as a game loop or a batch of incoming messages does.
    for (let seq = 0; seq < args.count; seq++) send(seq);
  } else if (args.mode === 'spread') {
    for (let seq = 0; seq < args.count; seq++) {
      send(seq);
      await nextTurn();
    }
  } else {
    for (let seq = 0; seq < args.count; seq++) {
      send(seq);
      const wait = start.at + (seq + 1) * args.intervalMs - nowMs();
      if (wait > 0) await delay(wait);
    }
  }
  return start;
}

async function memory(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('server child needs --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await delay(30);
  }
  return process.memoryUsage();
}

serveCommands({
  start: async ({ impl, variant }: { impl: ImplId; variant?: Variant }) => {
    const factory = await loadServerFactory(impl);
    server = await factory(hooks, variant ?? PLAIN);
    return { port: server.port };
  },
  mark,
  waitConnections: ({ count, timeoutMs }: { count: number; timeoutMs: number }) =>
    new Promise<void>((resolve, reject) => {
      if (connections === count) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`server has ${connections} connections, expected ${count}`)),
        timeoutMs,
      );
      waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    }),
  broadcast,
  joinRoom: async ({ room }: { room: string }) => {
    if (!server?.joinLocal) throw new Error('this implementation cannot join rooms');
    await server.joinLocal(room);
  },
  memory,
  stop: async () => {
    await server?.close();
    server = undefined;
  },
});
