// Parses `pnpm bench` arguments into a BenchConfig (a preset plus overrides).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type BenchConfig,
  fullConfig,
  quickConfig,
  SCENARIO_IDS,
  type ScenarioId,
} from './config.js';
import { IMPL_IDS, type ImplId } from './impls/types.js';

export const USAGE = `pnpm bench [options]
  --quick                 small smoke run (CI), under a minute
  --reps N                repetitions (default 5, quick 1)
  --impls a,b             of ${IMPL_IDS.join(', ')}
  --scenarios a,b         of ${SCENARIO_IDS.join(', ')}
  --loaders N             load generator processes (default 1)
  --json FILE             also write the JSON result to FILE
  --render FILE           no run: re-render the reports from a saved JSON result into --out
  --out DIR               results directory (default apps/bench/results)
  --noise-threshold X     flag windows where other load > X of the machine (default 0.15)
  --no-repeat             do not repeat flagged trials
  --strict                exit 1 when SmartSocket fails as well (baseline failures always do)
  --echo-conns N --echo-inflight N --echo-window-ms N --payload-bytes N
  --bcast-clients N --bcast-paced N --bcast-burst N --bcast-interval-ms N
  --mem-conns N --connect-count N --connect-concurrency N
  --idle-conns N --idle-loaders N --idle-concurrency N   (many idle connections; default 50000, 4, 200)
  --help`;

const numeric = [
  'reps',
  'loaders',
  'noise-threshold',
  'echo-conns',
  'echo-inflight',
  'echo-window-ms',
  'payload-bytes',
  'bcast-clients',
  'bcast-paced',
  'bcast-burst',
  'bcast-interval-ms',
  'mem-conns',
  'connect-count',
  'connect-concurrency',
  'idle-conns',
  'idle-loaders',
  'idle-concurrency',
] as const;

function list<T extends string>(value: string, allowed: readonly T[], name: string): T[] {
  const items = value.split(',').map((s) => s.trim()) as T[];
  for (const item of items) {
    if (!allowed.includes(item)) throw new Error(`--${name}: unknown "${item}"`);
  }
  return items;
}

/** Result of parsing: a config, or a request for help. */
export type ParsedCli = { help: true } | { help: false; config: BenchConfig; render?: string };

/** Parses argv (without node and script). Throws with a message naming the bad option. */
export function parseCli(argv: readonly string[]): ParsedCli {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      quick: { type: 'boolean' },
      help: { type: 'boolean' },
      'no-repeat': { type: 'boolean' },
      strict: { type: 'boolean' },
      json: { type: 'string' },
      render: { type: 'string' },
      out: { type: 'string' },
      impls: { type: 'string' },
      scenarios: { type: 'string' },
      ...Object.fromEntries(numeric.map((n) => [n, { type: 'string' as const }])),
    },
    strict: true,
  });
  if (values.help) return { help: true };
  const base = values.quick ? quickConfig : fullConfig;
  const num = (name: (typeof numeric)[number], fallback: number): number => {
    const raw = (values as Record<string, string | undefined>)[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const config: BenchConfig = {
    ...base,
    reps: num('reps', base.reps),
    loaders: num('loaders', base.loaders),
    noiseThreshold: num('noise-threshold', base.noiseThreshold),
    repeatNoisy: values['no-repeat'] ? false : base.repeatNoisy,
    strict: Boolean(values.strict),
    impls: values.impls ? list<ImplId>(values.impls, IMPL_IDS, 'impls') : [...base.impls],
    scenarios: values.scenarios
      ? list<ScenarioId>(values.scenarios, SCENARIO_IDS, 'scenarios')
      : [...base.scenarios],
    echo: {
      ...base.echo,
      conns: num('echo-conns', base.echo.conns),
      inFlight: num('echo-inflight', base.echo.inFlight),
      windowMs: num('echo-window-ms', base.echo.windowMs),
      payloadBytes: num('payload-bytes', base.echo.payloadBytes),
    },
    broadcast: {
      ...base.broadcast,
      clients: num('bcast-clients', base.broadcast.clients),
      pacedCount: num('bcast-paced', base.broadcast.pacedCount),
      burstCount: num('bcast-burst', base.broadcast.burstCount),
      intervalMs: num('bcast-interval-ms', base.broadcast.intervalMs),
      payloadBytes: num('payload-bytes', base.broadcast.payloadBytes),
    },
    memory: { ...base.memory, conns: num('mem-conns', base.memory.conns) },
    connect: {
      count: num('connect-count', base.connect.count),
      concurrency: num('connect-concurrency', base.connect.concurrency),
    },
    idle: {
      conns: num('idle-conns', base.idle.conns),
      loaders: num('idle-loaders', base.idle.loaders),
      concurrency: num('idle-concurrency', base.idle.concurrency),
    },
    outDir: values.out ?? fileURLToPath(new URL('../results/', import.meta.url)),
    ...(values.json ? { jsonFile: values.json } : {}),
  };
  return { help: false, config, ...(values.render ? { render: values.render } : {}) };
}
