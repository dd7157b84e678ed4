// Child process generating load: connects clients of one implementation and runs the echo and
// broadcast-receive parts of the scenarios on request.
import { serveCommands } from './child-protocol.js';
import { loadClientFactory } from './impls/registry.js';
import { type BenchClient, EVENTS, type ImplId, PLAIN, type Variant } from './impls/types.js';
import { BroadcastRecorder } from './load/broadcast-recorder.js';
import { connectMany } from './load/connector.js';
import { EchoLoad } from './load/echo-load.js';

let clients: BenchClient[] = [];
let echo: EchoLoad | undefined;
let recorder: BroadcastRecorder | undefined;

serveCommands({
  connect: async (args: {
    impl: ImplId;
    port: number;
    count: number;
    concurrency: number;
    variant?: Variant;
    localAddress?: string;
  }) => {
    const factory = await loadClientFactory(args.impl);
    const started = performance.now();
    const variant = args.variant ?? PLAIN;
    const opened = await connectMany(factory, args.port, variant, args.count, args.concurrency, {
      ...(args.localAddress ? { localAddress: args.localAddress } : {}),
    });
    const ms = performance.now() - started;
    for (const c of opened) c.on(EVENTS.broadcast, (data) => recorder?.record(data));
    clients = clients.concat(opened);
    return { ms };
  },
  echoStart: (args: { inFlight: number; payloadBytes: number }) => {
    echo = new EchoLoad(clients, args.payloadBytes);
    echo.start(args.inFlight);
  },
  echoMark: () => echo?.mark(),
  echoStop: async ({ timeoutMs }: { timeoutMs: number }) => {
    await echo?.stop(timeoutMs);
    echo = undefined;
  },
  /** `receivers`: how many of this loader's clients get each broadcast (default: all). */
  bcastArm: ({ count, receivers }: { count: number; receivers?: number }) => {
    recorder = new BroadcastRecorder(receivers ?? clients.length, count);
  },
  bcastWait: async ({ timeoutMs }: { timeoutMs: number }) => {
    const receipt = await recorder?.wait(timeoutMs);
    recorder = undefined;
    return receipt;
  },
  /** The first `count` clients stop reading; later broadcasts are armed for the others only. */
  stall: ({ count }: { count: number }) => {
    const stalled = clients.slice(0, count);
    for (const c of stalled) {
      c.on(EVENTS.broadcast, () => {});
      c.stall?.();
    }
    return { stalled: stalled.filter((c) => c.stall).length, receivers: clients.length - count };
  },
  closeAll: () => {
    for (const c of clients) c.close();
    clients = [];
  },
});
