// The summary table's columns, shared by the text and Markdown renderers.
import { IMPL_IDS, IMPL_LABELS, type ImplId } from '../impls/types.js';
import type { MetricRow } from '../summary.js';
import { fmtGoals, fmtRatio, fmtSummary } from './format.js';

const RATIO_LABELS: Partial<Record<ImplId, string>> = {
  'socket.io': 'SS÷SIO',
  ws: 'SS÷ws',
  'ws-once': 'SS÷ws once',
};

/** Header and body cells of the summary table for the implementations present in `rows`. */
export function tableCells(rows: readonly MetricRow[]): { header: string[]; body: string[][] } {
  const impls = IMPL_IDS.filter((i) => rows.some((r) => r.cells[i]));
  const ratioImpls = impls.includes('smartsocket') ? impls.filter((i) => i !== 'smartsocket') : [];
  // No goal column when no goal is judged (a smoke run): an empty verdict column reads as "missed".
  const withGoals = rows.some((r) => r.goals.length > 0);
  const header = [
    'metric',
    'unit',
    ...impls.map((i) => IMPL_LABELS[i]),
    ...ratioImpls.map((i) => RATIO_LABELS[i] ?? i),
    ...(withGoals ? ['goal'] : []),
  ];
  const body = rows.map((row) => [
    row.def.label,
    row.def.unit,
    ...impls.map((i) => fmtSummary(row.cells[i])),
    ...ratioImpls.map((i) => fmtRatio(row.ratios[i])),
    ...(withGoals ? [fmtGoals(row.goals)] : []),
  ]);
  return { header, body };
}
