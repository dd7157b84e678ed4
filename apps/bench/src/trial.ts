// Runs one trial: fresh server child + load children, the scenario, then teardown of everything.
import { ChildHandle } from './child-handle.js';
import type { BenchConfig } from './config.js';
import { childFdLimit } from './fd-limits.js';
import { type ImplId, PLAIN } from './impls/types.js';
import { otherLoad, sampleLoad } from './proc-stat.js';
import type { Scenario, TrialContext, TrialSetup } from './scenarios/types.js';

export interface TrialOutcome {
  metrics: Record<string, number>;
  otherLoad: number[];
  error?: string;
}

/** Spawns children, runs `scenario` for `impl`, always closes every child. */
export async function runTrial(
  scenario: Scenario,
  impl: ImplId,
  config: BenchConfig,
): Promise<TrialOutcome> {
  const children: ChildHandle[] = [];
  const loads: number[] = [];
  let setup: TrialSetup | undefined;
  try {
    setup = await scenario.prepare?.(config);
    const fdLimit = childFdLimit(config);
    const spawn = (script: string, exposeGc: boolean) =>
      ChildHandle.spawn({ script, exposeGc, lifetimeMs: config.childLifetimeMs, fdLimit }).then(
        (c) => {
          children.push(c);
          return c;
        },
      );
    // allSettled: every child that did start is in `children` before teardown runs.
    const spawned = await Promise.allSettled([
      spawn('./server-child.ts', true),
      ...Array.from({ length: scenario.loaders?.(config) ?? config.loaders }, () =>
        spawn('./load-child.ts', false),
      ),
    ]);
    const rejected = spawned.find((r) => r.status === 'rejected');
    if (rejected) throw rejected.reason;
    const [server, ...loaders] = spawned.map(
      (r) => (r as PromiseFulfilledResult<ChildHandle>).value,
    );
    const variant = setup?.variant ?? scenario.variant ?? PLAIN;
    const { port } = await server!.call<{ port: number }>('start', { impl, variant }, 30_000);
    const pids = [process.pid, ...children.map((c) => c.pid), ...(setup?.pids ?? [])];
    const extraServers: ChildHandle[] = [];
    const ctx: TrialContext = {
      impl,
      config,
      server: server!,
      loaders,
      port,
      variant,
      ownPids: pids,
      async spawnServer() {
        const extra = await spawn('./server-child.ts', true);
        extraServers.push(extra);
        pids.push(extra.pid);
        const started = await extra.call<{ port: number }>('start', { impl, variant }, 30_000);
        return { server: extra, port: started.port };
      },
      async window(fn) {
        const a = sampleLoad(pids);
        const result = await fn();
        const b = sampleLoad(pids);
        loads.push(a && b ? otherLoad(a, b) : -1);
        return result;
      },
    };
    const metrics = await scenario.run(ctx);
    await Promise.allSettled(loaders.map((l) => l.call('closeAll', {}, 10_000)));
    await Promise.all(
      [server!, ...extraServers].map((s) => s.call('stop', {}, 10_000).catch(() => {})),
    );
    return { metrics, otherLoad: loads };
  } catch (err) {
    return {
      metrics: {},
      otherLoad: loads,
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    await Promise.all(children.map((c) => c.close()));
    await setup?.cleanup().catch(() => {});
  }
}
