// Child process hosting the server under test: starts one implementation, counts connections and
// echoes, runs broadcast bursts locally and reports CPU (process.cpuUsage) and memory on request.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { serveCommands } from './child-protocol.js';
import { delay, nowMs, padFor } from './clock.js';
import { loadServerFactory } from './impls/registry.js';
import { type BenchServer, EVENTS, type ImplId } from './impls/types.js';

/** Reply of `mark`: a point-in-time reading of the server process. */
export interface ServerMark {
  cpu: NodeJS.CpuUsage;
  echoed: number;
  connections: number;
  at: number;
}

/** Arguments of `broadcast`. */
export interface BroadcastArgs {
  mode: 'paced' | 'spread' | 'tick';
  count: number;
  intervalMs: number;
  payloadBytes: number;
}

/** Reply of `broadcast`: CPU and time when the first broadcast started. */
export interface BroadcastStart {
  cpu: NodeJS.CpuUsage;
  at: number;
}

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

function mark(): ServerMark {
  return { cpu: process.cpuUsage(), echoed, connections, at: nowMs() };
}

async function broadcast(args: BroadcastArgs): Promise<BroadcastStart> {
  if (!server) throw new Error('server not started');
  const s = server;
  const pad = padFor(args.payloadBytes, { seq: args.count, t: nowMs() });
  const send = (seq: number) => s.broadcast(EVENTS.broadcast, { seq, t: nowMs(), pad });
  const start: BroadcastStart = { cpu: process.cpuUsage(), at: nowMs() };
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
  start: async ({ impl }: { impl: ImplId }) => {
    const factory = await loadServerFactory(impl);
    server = await factory(hooks);
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
  memory,
  stop: async () => {
    await server?.close();
    server = undefined;
  },
});
