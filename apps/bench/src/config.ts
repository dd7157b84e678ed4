// Bench configuration: the full and quick presets with every size and count as an option.
import type { ImplId } from './impls/types.js';

export type ScenarioId =
  | 'echo'
  | 'broadcast'
  | 'memory'
  | 'connect'
  | 'compressed'
  | 'encrypted'
  | 'polling'
  | 'redis'
  | 'recovery'
  | 'slow'
  | 'cluster'
  | 'idle';
export const SCENARIO_IDS: readonly ScenarioId[] = [
  'echo',
  'broadcast',
  'memory',
  'connect',
  'compressed',
  'encrypted',
  'polling',
  'redis',
  'recovery',
  'slow',
  'cluster',
  'idle',
];
/**
 * Run by default in a full run: all but `idle`, whose 50,000 connections per implementation take
 * minutes and most of the machine (run it alone: `--scenarios idle --reps 1`). Quick runs run all.
 */
export const DEFAULT_SCENARIOS: readonly ScenarioId[] = SCENARIO_IDS.filter((s) => s !== 'idle');

export interface BenchConfig {
  /** Small smoke run (CI). @default false */
  quick: boolean;
  /** Repetitions; implementations alternate within each. @default 5 (quick: 1) */
  reps: number;
  /** Implementations to run. @default all four */
  impls: ImplId[];
  /** Scenarios to run. @default all */
  scenarios: ScenarioId[];
  /** Load generator processes per trial (clients are split between them). @default 1 */
  loaders: number;
  /** A window is flagged when other processes used more than this share of the machine. @default 0.15 */
  noiseThreshold: number;
  /** Repeat a trial once when one of its windows was flagged. @default true (quick: false) */
  repeatNoisy: boolean;
  echo: {
    conns: number;
    inFlight: number;
    payloadBytes: number;
    warmupMs: number;
    windowMs: number;
  };
  broadcast: {
    clients: number;
    payloadBytes: number;
    /** Paced broadcasts, one every intervalMs. */
    pacedCount: number;
    intervalMs: number;
    /** Broadcasts per spread burst and per tick burst. */
    burstCount: number;
    /** Unmeasured spread broadcasts before the measured rounds. */
    warmupCount: number;
  };
  memory: { conns: number; concurrency: number };
  connect: { count: number; concurrency: number };
  /** Spread burst of ~4 KB JSON broadcasts with per-message compression on. */
  compressed: { clients: number; count: number; payloadBytes: number };
  /** Spread and tick bursts of ~100-byte broadcasts, SmartSocket sealing each payload. */
  encrypted: { clients: number; count: number };
  /**
   * Echo over long-polling (SmartSocket and Socket.IO, polling only), then `idleSessions` idle
   * polling sessions for the memory figure.
   */
  polling: {
    conns: number;
    inFlight: number;
    payloadBytes: number;
    warmupMs: number;
    windowMs: number;
    idleSessions: number;
    concurrency: number;
  };
  /**
   * Three servers sharing one local Redis (spawned by the scenario), clients spread over them,
   * spread bursts from one server: to everyone, then to a room with members on two servers.
   */
  redis: { servers: number; clients: number; count: number; payloadBytes: number };
  /**
   * SmartSocket with `enableMessageCache` on (every socket recoverable, every broadcast logged):
   * spread and tick bursts to `clients`, then heap per idle connection at `idleConns`. Compared
   * with the broadcast and memory scenarios' SmartSocket rows (recovery off) of the same run.
   */
  recovery: { clients: number; count: number; idleConns: number; concurrency: number };
  /**
   * SmartSocket: a burst of `count` broadcasts of `payloadBytes` to `clients`, first with every
   * client reading, then with `stalled` of them not reading: the server's RSS growth and the
   * readers' delivery rate next to the run without stalled clients.
   */
  slow: { clients: number; stalled: number; count: number; payloadBytes: number };
  /**
   * Echo against one process, then against a `node:cluster` primary with `workers` workers
   * (SmartSocket only), same load: the speedup of using every core of one machine.
   */
  cluster: {
    conns: number;
    inFlight: number;
    payloadBytes: number;
    warmupMs: number;
    windowMs: number;
    workers: number;
  };
  /**
   * Many idle WebSocket connections on one server: `conns` clients over `loaders` load processes,
   * each connecting from its own loopback source address (127.0.0.x, fresh ones every trial) so
   * each address needs fewer ephemeral ports than the kernel's range holds; at most
   * `concurrency` handshakes in flight in all.
   */
  idle: { conns: number; loaders: number; concurrency: number };
  /**
   * Time budget (ms): a flagged trial is repeated only while the run is projected to finish within it.
   * @default 600000 (quick: 50000)
   */
  budgetMs: number;
  /** Hard lifetime of every child process (ms). @default 300000 */
  childLifetimeMs: number;
  /** Directory for latest.{md,json,svg} (quick runs write quick.*). */
  outDir: string;
  /** Exit non-zero when SmartSocket fails too (baseline failures always do). @default false */
  strict: boolean;
  /** Extra copy of the JSON result. */
  jsonFile?: string;
}

/** The full run (about 6-9 minutes on 2 cores). */
export const fullConfig: Omit<BenchConfig, 'outDir'> = {
  quick: false,
  strict: false,
  reps: 5,
  impls: ['smartsocket', 'socket.io', 'ws', 'ws-once'],
  scenarios: [...DEFAULT_SCENARIOS],
  loaders: 1,
  noiseThreshold: 0.15,
  repeatNoisy: true,
  echo: { conns: 50, inFlight: 10, payloadBytes: 100, warmupMs: 1000, windowMs: 3000 },
  broadcast: {
    clients: 1000,
    payloadBytes: 100,
    pacedCount: 30,
    intervalMs: 50,
    burstCount: 200,
    warmupCount: 10,
  },
  memory: { conns: 5000, concurrency: 100 },
  connect: { count: 2000, concurrency: 50 },
  compressed: { clients: 1000, count: 30, payloadBytes: 4096 },
  encrypted: { clients: 1000, count: 50 },
  polling: {
    conns: 50,
    inFlight: 5,
    payloadBytes: 100,
    warmupMs: 1000,
    windowMs: 3000,
    idleSessions: 1000,
    concurrency: 50,
  },
  redis: { servers: 3, clients: 1000, count: 100, payloadBytes: 100 },
  recovery: { clients: 1000, count: 200, idleConns: 5000, concurrency: 100 },
  slow: { clients: 1000, stalled: 100, count: 200, payloadBytes: 16_384 },
  cluster: {
    conns: 50,
    inFlight: 10,
    payloadBytes: 100,
    warmupMs: 1000,
    windowMs: 3000,
    workers: 2,
  },
  idle: { conns: 50_000, loaders: 4, concurrency: 200 },
  budgetMs: 600_000,
  childLifetimeMs: 300_000,
};

/** The smoke run: every scenario and implementation once, small sizes (well under a minute). */
export const quickConfig: Omit<BenchConfig, 'outDir'> = {
  ...fullConfig,
  quick: true,
  scenarios: [...SCENARIO_IDS],
  reps: 1,
  repeatNoisy: false,
  echo: { conns: 10, inFlight: 10, payloadBytes: 100, warmupMs: 200, windowMs: 500 },
  broadcast: {
    clients: 100,
    payloadBytes: 100,
    pacedCount: 10,
    intervalMs: 50,
    burstCount: 50,
    warmupCount: 5,
  },
  memory: { conns: 300, concurrency: 50 },
  connect: { count: 200, concurrency: 50 },
  compressed: { clients: 100, count: 10, payloadBytes: 4096 },
  encrypted: { clients: 100, count: 20 },
  polling: {
    conns: 10,
    inFlight: 5,
    payloadBytes: 100,
    warmupMs: 200,
    windowMs: 500,
    idleSessions: 100,
    concurrency: 25,
  },
  redis: { servers: 3, clients: 90, count: 10, payloadBytes: 100 },
  recovery: { clients: 100, count: 50, idleConns: 300, concurrency: 50 },
  slow: { clients: 100, stalled: 10, count: 50, payloadBytes: 16_384 },
  cluster: { conns: 10, inFlight: 10, payloadBytes: 100, warmupMs: 200, windowMs: 500, workers: 2 },
  idle: { conns: 300, loaders: 2, concurrency: 50 },
  budgetMs: 50_000,
  childLifetimeMs: 120_000,
};
