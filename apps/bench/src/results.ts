// Shapes of a bench run's raw results (what --json writes, besides the summary).
import type { BenchConfig, ScenarioId } from './config.js';
import type { ImplId } from './impls/types.js';
import type { MachineInfo } from './machine-info.js';
import type { PendingScenario } from './scenarios/pending.js';

/** One trial: one scenario × implementation × repetition (× attempt, when repeated for noise). */
export interface TrialRecord {
  scenario: ScenarioId;
  impl: ImplId;
  rep: number;
  attempt: number;
  metrics: Record<string, number>;
  /** Share of the machine used by other processes in each measured window (0..1; -1 unknown). */
  otherLoad: number[];
  flagged: boolean;
  error?: string;
  ms: number;
}

export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  config: BenchConfig;
  machine: MachineInfo;
  trials: TrialRecord[];
  /** Flagged trials not repeated because the time budget did not allow it. */
  unrepeated: number;
  pending: readonly PendingScenario[];
}
