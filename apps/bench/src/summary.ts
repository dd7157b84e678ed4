// Turns trial records into summary rows: per implementation median/min–max/spread, SmartSocket ratios
// as the median of per-repetition ratios, and goal status. Pure.
import type { ScenarioId } from './config.js';
import { evaluateGoal, type Goal, type GoalStatus, goalsFor } from './goals.js';
import { IMPL_IDS, type ImplId } from './impls/types.js';
import { METRICS, type MetricDef } from './metrics.js';
import type { TrialRecord } from './results.js';
import { median, type Summary, summarize } from './stats.js';

export interface GoalCell {
  goal: Goal;
  ratio: number | undefined;
  status: GoalStatus;
}

export interface MetricRow {
  def: MetricDef;
  cells: Partial<Record<ImplId, Summary>>;
  /** SmartSocket ÷ baseline, median of per-repetition ratios. */
  ratios: Partial<Record<ImplId, number>>;
  goals: GoalCell[];
}

export interface TrialFailure {
  scenario: ScenarioId;
  impl: ImplId;
  rep: number;
  error: string;
}

export interface BenchSummary {
  rows: MetricRow[];
  failures: TrialFailure[];
  trials: number;
  flaggedTrials: number;
  repeatedTrials: number;
  /** Highest share of the machine used by other work in any counted window. */
  maxOtherLoad: number;
  /** A smoke run (`--quick`): sizes too small to compare, so no goal is judged. */
  smoke: boolean;
}

/** What a smoke run says instead of goal verdicts. */
export const SMOKE_LABEL = 'smoke run — sizes too small to judge goals';

/** The trial that counts for each (scenario, impl, rep): its last attempt. */
export function finalTrials(trials: readonly TrialRecord[]): TrialRecord[] {
  const last = new Map<string, TrialRecord>();
  for (const t of trials) {
    const key = `${t.scenario}|${t.impl}|${t.rep}`;
    const prev = last.get(key);
    if (!prev || t.attempt >= prev.attempt) last.set(key, t);
  }
  return [...last.values()];
}

/** value per repetition of one metric for one implementation (successful final trials only). */
export function valuesByRep(
  trials: readonly TrialRecord[],
  metric: string,
  impl: ImplId,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of trials) {
    if (t.impl !== impl || t.error) continue;
    const v = t.metrics[metric];
    if (v !== undefined && Number.isFinite(v)) out.set(t.rep, v);
  }
  return out;
}

/** Median over repetitions of a ÷ b, using only repetitions where both have a value. */
export function medianRatio(a: Map<number, number>, b: Map<number, number>): number | undefined {
  const ratios: number[] = [];
  for (const [rep, va] of a) {
    const vb = b.get(rep);
    if (vb !== undefined && vb !== 0) ratios.push(va / vb);
  }
  return ratios.length ? median(ratios) : undefined;
}

/** Builds the summary of a run; a smoke run (`{ smoke: true }`) judges no goal. */
export function buildSummary(
  trials: readonly TrialRecord[],
  { smoke = false }: { smoke?: boolean } = {},
): BenchSummary {
  const final = finalTrials(trials);
  const rows: MetricRow[] = [];
  for (const def of METRICS) {
    const scenarioTrials = final.filter((t) => t.scenario === def.scenario);
    if (scenarioTrials.length === 0) continue;
    const byImpl = new Map<ImplId, Map<number, number>>();
    const cells: MetricRow['cells'] = {};
    for (const impl of IMPL_IDS) {
      if (!scenarioTrials.some((t) => t.impl === impl)) continue;
      const values = valuesByRep(scenarioTrials, def.id, impl);
      byImpl.set(impl, values);
      cells[impl] = summarize([...values.values()]);
    }
    const ratios: MetricRow['ratios'] = {};
    const ss = byImpl.get('smartsocket');
    for (const [impl, values] of byImpl) {
      if (impl === 'smartsocket' || !ss) continue;
      const r = medianRatio(ss, values);
      if (r !== undefined) ratios[impl] = r;
    }
    const goals = (smoke ? [] : goalsFor(def.id))
      .filter((g) => byImpl.has(g.baseline))
      .map((goal) => {
        const value = goal.absolute ? cells.smartsocket?.median : ratios[goal.baseline];
        return { goal, ratio: value, status: evaluateGoal(goal, value) };
      });
    rows.push({ def, cells, ratios, goals });
  }
  const counted = final.filter((t) => !t.error);
  return {
    rows,
    failures: final
      .filter((t) => t.error)
      .map((t) => ({ scenario: t.scenario, impl: t.impl, rep: t.rep, error: t.error! })),
    trials: trials.length,
    flaggedTrials: counted.filter((t) => t.flagged).length,
    repeatedTrials: trials.filter((t) => t.attempt > 1).length,
    maxOtherLoad: Math.max(0, ...counted.flatMap((t) => t.otherLoad)),
    smoke,
  };
}
