import { describe, expect, it } from 'vitest';
import { fullConfig } from '../src/config.js';
import { fmt, fmtRatio, fmtSummary } from '../src/report/format.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderSvgChart } from '../src/report/svg-chart.js';
import { renderTextSummary } from '../src/report/text-table.js';
import type { BenchResult } from '../src/results.js';
import { buildSummary } from '../src/summary.js';
import { echoTrials, trial } from './fixtures.js';

function result(trials = echoTrials()): BenchResult {
  return {
    startedAt: '2026-11-22T04:00:00.000Z',
    finishedAt: '2026-11-22T04:05:00.000Z',
    config: { ...fullConfig, reps: 2, outDir: '/tmp/x' },
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      memoryGiB: 8,
      os: 'Linux',
      node: 'v20',
      openFilesLimit: '20000',
    },
    trials,
    unrepeated: 0,
    // Nothing is pending today; the report must still list what would be.
    pending: [{ id: 'future', title: 'A future scenario', waitingFor: 'a feature' }],
  };
}

describe('format', () => {
  it('formats numbers, ratios and summaries compactly', () => {
    expect(fmt(12345.6)).toBe('12,346');
    expect(fmt(3.14289)).toBe('3.14');
    expect(fmt(Number.NaN)).toBe('–');
    expect(fmtRatio(0.0432)).toBe('0.043');
    expect(fmtRatio(0.356)).toBe('0.36');
    expect(fmtSummary({ count: 3, median: 10, min: 8, max: 12, spread: 0.4 })).toBe(
      '10.0 (8.00–12.0) ±20%',
    );
  });
});

describe('renderMarkdown', () => {
  it('shows the table with ratios and goal status, the machine and pending scenarios', () => {
    const r = result();
    const md = renderMarkdown(r, buildSummary(r.trials), 'latest.svg');
    expect(md).toContain(
      '| metric | unit | SmartSocket | Socket.IO | ws | SS÷SIO | SS÷ws | goal |',
    );
    expect(md).toMatch(/\| echo server CPU \/ msg \| µs \| 5\.00 .*\| 0\.35 \| 1\.00 \|.*met/);
    expect(md).toContain('Test CPU (2 cores');
    expect(md).toContain('![SmartSocket ratios](latest.svg)');
    expect(md).toContain('## Not yet run');
  });

  it('lists failures', () => {
    const r = result([...echoTrials(), trial({ impl: 'smartsocket', rep: 3, error: 'no server' })]);
    expect(renderMarkdown(r, buildSummary(r.trials))).toContain(
      '**smartsocket** failed in echo (rep 3): `no server`',
    );
  });
});

describe('renderSvgChart and renderTextSummary', () => {
  it('draws one bar per ratio and a goal marker', () => {
    const svg = renderSvgChart(buildSummary(echoTrials()), 'T & <test>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('T &amp; &lt;test&gt;');
    expect(svg.match(/<rect x="[\d.]+" y="\d+" width="[\d.]+" height="11"/g)?.length).toBe(4);
    expect(svg).toContain('goal &lt;= 0.4: met');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('renders an aligned text table', () => {
    const text = renderTextSummary(buildSummary(echoTrials()));
    const [header, rule] = text.split('\n');
    expect(header!.indexOf('Socket.IO')).toBe(rule!.split('  ').slice(0, 3).join('  ').length + 2);
  });
});
