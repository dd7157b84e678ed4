// Plain-text summary table for the terminal.
import { type BenchSummary, SMOKE_LABEL } from '../summary.js';
import { tableCells } from './columns.js';

/** Pads every column to its widest cell. */
export function renderTextTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** The terminal summary: table plus failures and noise notes. */
export function renderTextSummary(summary: BenchSummary): string {
  const { header, body } = tableCells(summary.rows);
  const out = summary.smoke
    ? [`${SMOKE_LABEL}:`, renderTextTable(header, body)]
    : [renderTextTable(header, body)];
  for (const f of summary.failures) {
    out.push(`FAILED ${f.impl} in ${f.scenario} (rep ${f.rep}): ${f.error}`);
  }
  if (summary.flaggedTrials > 0) {
    out.push(
      `${summary.flaggedTrials} counted trial(s) ran while other processes used up to ${Math.round(summary.maxOtherLoad * 100)}% of the machine's CPU.`,
    );
  }
  return out.join('\n');
}
