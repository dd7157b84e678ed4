// Orchestrator: repetitions × scenarios × implementations alternated (A B C, A B C …), each trial
// in fresh child processes; noisy trials repeated once while the time budget allows; an
// implementation that fails a scenario twice is not run again in that scenario.
import type { BenchConfig } from './config.js';
import { IMPL_LABELS } from './impls/types.js';
import { machineInfo } from './machine-info.js';
import type { Progress } from './progress.js';
import type { BenchResult, TrialRecord } from './results.js';
import { SCENARIOS } from './scenarios/index.js';
import { PENDING_SCENARIOS } from './scenarios/pending.js';
import { runTrial } from './trial.js';

/** Runs the whole bench described by `config`. */
export async function runBench(config: BenchConfig, progress: Progress): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const trials: TrialRecord[] = [];
  const failures = new Map<string, number>();
  const started = performance.now();
  let remaining =
    config.reps *
    config.scenarios.reduce(
      (n, id) => n + SCENARIOS[id].impls.filter((i) => config.impls.includes(i)).length,
      0,
    );
  let unrepeated = 0;
  /** Whether one more trial still fits the budget, judging by the average trial so far. */
  const repeatFits = () => {
    const elapsed = performance.now() - started;
    const average = elapsed / Math.max(1, trials.length);
    return elapsed + average * (remaining + 1) <= config.budgetMs;
  };
  for (let rep = 1; rep <= config.reps; rep++) {
    for (const scenarioId of config.scenarios) {
      const scenario = SCENARIOS[scenarioId];
      for (const impl of scenario.impls.filter((i) => config.impls.includes(i))) {
        const key = `${scenarioId}/${impl}`;
        remaining--;
        if ((failures.get(key) ?? 0) >= 2) continue;
        const attempts = config.repeatNoisy ? 2 : 1;
        for (let attempt = 1; attempt <= attempts; attempt++) {
          progress.update(
            `${scenario.title} · rep ${rep}/${config.reps} · ${IMPL_LABELS[impl]}` +
              (attempt > 1 ? ' · repeat (noisy machine)' : ''),
          );
          const trialStarted = performance.now();
          const outcome = await runTrial(scenario, impl, config);
          const flagged = outcome.otherLoad.some((l) => l > config.noiseThreshold);
          const record: TrialRecord = {
            scenario: scenarioId,
            impl,
            rep,
            attempt,
            metrics: outcome.metrics,
            otherLoad: outcome.otherLoad,
            flagged,
            ms: Math.round(performance.now() - trialStarted),
            // One line, bounded: transform errors from tsx span many lines.
            ...(outcome.error ? { error: outcome.error.replace(/\s+/g, ' ').slice(0, 400) } : {}),
          };
          trials.push(record);
          if (outcome.error) {
            failures.set(key, (failures.get(key) ?? 0) + 1);
            progress.note(`✗ ${scenario.title} · ${IMPL_LABELS[impl]} failed: ${outcome.error}`);
            break;
          }
          if (!flagged) break;
          if (attempt < attempts && !repeatFits()) {
            unrepeated++;
            break;
          }
        }
      }
    }
  }
  progress.done();
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    config,
    machine: machineInfo(),
    trials,
    unrepeated,
    pending: PENDING_SCENARIOS,
  };
}
