// Number and cell formatting shared by the text, Markdown and SVG renderers.
import { goalText } from '../goals.js';
import type { Summary } from '../stats.js';
import type { GoalCell } from '../summary.js';

/** Compact number: grouping for large values, 2-3 significant digits for small ones. */
export function fmt(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US');
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

/** Ratio with two decimals (three below 0.1). */
export function fmtRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '–';
  return r < 0.1 ? r.toFixed(3) : r.toFixed(2);
}

/** `median (min–max) ±spread%`, or `median` alone for a single repetition. */
export function fmtSummary(s: Summary | undefined): string {
  if (!s || s.count === 0) return '–';
  if (s.count === 1) return fmt(s.median);
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)}) ±${Math.round((s.spread * 100) / 2)}%`;
}

/** `÷SIO ≤ 0.40 met` joined by `; `. */
export function fmtGoals(goals: readonly GoalCell[]): string {
  return goals.map((g) => `${goalText(g.goal)} ${g.status}`).join('; ');
}
