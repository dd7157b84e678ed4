// Self-contained SVG chart: how many times better SmartSocket is than each baseline, with goal ticks.
import type { ImplId } from '../impls/types.js';
import type { BenchSummary, MetricRow } from '../summary.js';
import { fmtRatio } from './format.js';

const BASELINES: { impl: ImplId; label: string; color: string }[] = [
  { impl: 'socket.io', label: 'SmartSocket ÷ Socket.IO', color: '#4c78a8' },
  { impl: 'ws', label: 'SmartSocket ÷ ws', color: '#f58518' },
  { impl: 'ws-once', label: 'SmartSocket ÷ ws (frame once)', color: '#b279a2' },
];
const MIN = 0.1;
const MAX = 100;
const LABEL_W = 290;
const PLOT_W = 480;
const VALUE_W = 110;
const BAR_H = 11;
const ROW_GAP = 8;
const TOP = 78;

const escXml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function x(factor: number): number {
  const r = Math.min(MAX, Math.max(MIN, factor));
  return LABEL_W + ((Math.log(r) - Math.log(MIN)) / (Math.log(MAX) - Math.log(MIN))) * PLOT_W;
}

/**
 * How many times better SmartSocket is than the baseline: the ratio itself where higher is
 * better (throughput), its inverse where lower is better (CPU, memory, latency). Above 1 always
 * means SmartSocket is better, whatever the metric.
 */
export function betterFactor(row: Pick<MetricRow, 'def'>, ratio: number): number {
  return row.def.better === 'higher' ? ratio : 1 / ratio;
}

/** A goal as a "× better than" threshold: `≤ 0.40` on a lower-is-better ratio is `≥ 2.5×`. */
function goalFactor(row: MetricRow, target: number): number {
  return betterFactor(row, target);
}

/** `2.7× better` / `1.3× worse` / `same`. */
export function fmtFactor(f: number): string {
  if (!Number.isFinite(f) || f <= 0) return '–';
  if (Math.abs(f - 1) < 0.005) return 'same';
  const n = f >= 1 ? f : 1 / f;
  const text = n >= 10 ? n.toFixed(0) : n.toFixed(n >= 2 ? 1 : 2);
  return `${text}× ${f >= 1 ? 'better' : 'worse'}`;
}

function rowsWithRatios(summary: BenchSummary): MetricRow[] {
  return summary.rows.filter(
    (r) => !r.def.label.startsWith(' ') && BASELINES.some((b) => r.ratios[b.impl] !== undefined),
  );
}

/**
 * Renders the chart; `title` goes on top. Every bar says how many times better SmartSocket is
 * than one baseline, so right of 1× is better on every row; values sit in their own column so
 * goal ticks never cover them. Returns a complete SVG document.
 */
export function renderSvgChart(summary: BenchSummary, title: string): string {
  const rows = rowsWithRatios(summary);
  const rowH = (n: number) => n * (BAR_H + 2) + ROW_GAP;
  const heights = rows.map((r) =>
    rowH(BASELINES.filter((b) => r.ratios[b.impl] !== undefined).length),
  );
  const height = TOP + heights.reduce((a, b) => a + b, 0) + 40;
  const width = LABEL_W + PLOT_W + VALUE_W + 10;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">${escXml(title)}</text>`,
  );
  const legend = BASELINES.map((b) => ({
    ...b,
    label: b.label.replace('SmartSocket ÷ ', 'than '),
  }));
  legend.forEach((b, i) => {
    parts.push(
      `<rect x="${10 + i * 210}" y="28" width="10" height="10" fill="${b.color}"/>`,
      `<text x="${24 + i * 210}" y="37">${escXml(b.label)}</text>`,
    );
  });
  const goals = rows.some((r) => r.goals.length > 0) ? ' · | goal (green met, red missed)' : '';
  parts.push(
    `<text x="10" y="54" fill="#555">${escXml(`How many times better SmartSocket is (CPU, memory and latency: lower; throughput: higher), log scale${goals}`)}</text>`,
    `<text x="${x(1) - 6}" y="${TOP - 8}" text-anchor="end" fill="#555">← worse</text>`,
    `<text x="${x(1) + 6}" y="${TOP - 8}" fill="#555">better →</text>`,
  );
  for (const tick of [0.1, 0.25, 0.5, 1, 2, 4, 10, 25, 100]) {
    const tx = x(tick).toFixed(1);
    parts.push(
      `<line x1="${tx}" y1="${TOP - 4}" x2="${tx}" y2="${height - 30}" stroke="${tick === 1 ? '#000' : '#ddd'}"/>`,
      `<text x="${tx}" y="${height - 16}" text-anchor="middle" fill="#555">${tick}×</text>`,
    );
  }
  let y = TOP;
  rows.forEach((row, i) => {
    parts.push(
      `<text x="${LABEL_W - 8}" y="${y + BAR_H}" text-anchor="end">${escXml(row.def.label)}</text>`,
    );
    let by = y;
    for (const b of BASELINES) {
      const ratio = row.ratios[b.impl];
      if (ratio === undefined) continue;
      const f = betterFactor(row, ratio);
      const x0 = Math.min(x(1), x(f));
      const w = Math.max(1, Math.abs(x(f) - x(1)));
      const label = `${fmtFactor(f)} than ${b.label.replace('SmartSocket ÷ ', '')} (ratio ${fmtRatio(ratio)})`;
      parts.push(
        `<rect x="${x0.toFixed(1)}" y="${by}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${b.color}"><title>${escXml(label)}</title></rect>`,
        `<text x="${LABEL_W + PLOT_W + 8}" y="${by + BAR_H - 2}" fill="#333">${escXml(fmtFactor(f))}</text>`,
      );
      for (const g of row.goals.filter((gc) => gc.goal.baseline === b.impl)) {
        const gx = x(goalFactor(row, g.goal.target)).toFixed(1);
        const color = g.status === 'met' ? '#2ca02c' : g.status === 'missed' ? '#d62728' : '#888';
        parts.push(
          `<line x1="${gx}" y1="${by - 1}" x2="${gx}" y2="${by + BAR_H + 1}" stroke="${color}" stroke-width="2"><title>${escXml(`goal ${g.goal.op} ${g.goal.target} (${fmtFactor(goalFactor(row, g.goal.target))}): ${g.status}`)}</title></line>`,
        );
      }
      by += BAR_H + 2;
    }
    y += heights[i]!;
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
