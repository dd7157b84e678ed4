// Self-contained SVG chart of SmartSocket's ratios (log scale around 1.0) with goal markers.
import type { ImplId } from '../impls/types.js';
import type { BenchSummary, MetricRow } from '../summary.js';
import { fmtRatio } from './format.js';

const BASELINES: { impl: ImplId; label: string; color: string }[] = [
  { impl: 'socket.io', label: 'SmartSocket ÷ Socket.IO', color: '#4c78a8' },
  { impl: 'ws', label: 'SmartSocket ÷ ws', color: '#f58518' },
  { impl: 'ws-once', label: 'SmartSocket ÷ ws (frame once)', color: '#b279a2' },
];
const MIN = 0.01;
const MAX = 10;
const LABEL_W = 290;
const PLOT_W = 520;
const BAR_H = 11;
const ROW_GAP = 8;
const TOP = 64;

const escXml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function x(ratio: number): number {
  const r = Math.min(MAX, Math.max(MIN, ratio));
  return LABEL_W + ((Math.log(r) - Math.log(MIN)) / (Math.log(MAX) - Math.log(MIN))) * PLOT_W;
}

function rowsWithRatios(summary: BenchSummary): MetricRow[] {
  return summary.rows.filter(
    (r) => !r.def.label.startsWith(' ') && BASELINES.some((b) => r.ratios[b.impl] !== undefined),
  );
}

/** Renders the chart; `title` goes on top. Returns a complete SVG document. */
export function renderSvgChart(summary: BenchSummary, title: string): string {
  const rows = rowsWithRatios(summary);
  const rowH = (n: number) => n * (BAR_H + 2) + ROW_GAP;
  const heights = rows.map((r) =>
    rowH(BASELINES.filter((b) => r.ratios[b.impl] !== undefined).length),
  );
  const height = TOP + heights.reduce((a, b) => a + b, 0) + 40;
  const width = LABEL_W + PLOT_W + 70;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">${escXml(title)}</text>`,
  );
  BASELINES.forEach((b, i) => {
    parts.push(
      `<rect x="${10 + i * 210}" y="28" width="10" height="10" fill="${b.color}"/>`,
      `<text x="${24 + i * 210}" y="37">${escXml(b.label)}</text>`,
    );
  });
  parts.push(
    `<text x="10" y="52" fill="#555">log scale · bars start at 1.0 · | goal (green met, red missed) · ↑ higher / ↓ lower is better</text>`,
  );
  for (const tick of [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10]) {
    const tx = x(tick).toFixed(1);
    parts.push(
      `<line x1="${tx}" y1="${TOP - 4}" x2="${tx}" y2="${height - 30}" stroke="${tick === 1 ? '#000' : '#ddd'}"/>`,
      `<text x="${tx}" y="${height - 16}" text-anchor="middle" fill="#555">${tick}</text>`,
    );
  }
  let y = TOP;
  rows.forEach((row, i) => {
    parts.push(
      `<text x="${LABEL_W - 8}" y="${y + BAR_H}" text-anchor="end">${escXml(row.def.label)} ${row.def.better === 'higher' ? '↑' : '↓'}</text>`,
    );
    let by = y;
    for (const b of BASELINES) {
      const ratio = row.ratios[b.impl];
      if (ratio === undefined) continue;
      const x0 = Math.min(x(1), x(ratio));
      const w = Math.max(1, Math.abs(x(ratio) - x(1)));
      parts.push(
        `<rect x="${x0.toFixed(1)}" y="${by}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${b.color}"><title>${escXml(`${b.label}: ${fmtRatio(ratio)}`)}</title></rect>`,
        `<text x="${(Math.max(x(1), x(ratio)) + 3).toFixed(1)}" y="${by + BAR_H - 2}" fill="#333">${fmtRatio(ratio)}</text>`,
      );
      for (const g of row.goals.filter((gc) => gc.goal.baseline === b.impl)) {
        const gx = x(g.goal.target).toFixed(1);
        const color = g.status === 'met' ? '#2ca02c' : g.status === 'missed' ? '#d62728' : '#888';
        parts.push(
          `<line x1="${gx}" y1="${by - 1}" x2="${gx}" y2="${by + BAR_H + 1}" stroke="${color}" stroke-width="2"><title>${escXml(`goal ${g.goal.op} ${g.goal.target}: ${g.status}`)}</title></line>`,
        );
      }
      by += BAR_H + 2;
    }
    y += heights[i]!;
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
