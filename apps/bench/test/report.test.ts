import { describe, expect, it } from 'vitest';
import { fullConfig } from '../src/config.js';
import { fmt, fmtRatio, fmtSummary } from '../src/report/format.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { betterFactor, fmtFactor, renderSvgChart } from '../src/report/svg-chart.js';
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
    expect(svg).toContain('goal &lt;= 0.4 (2.5× better): met');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('shows every row as "× better than", so right of 1× is always better', () => {
    expect(betterFactor({ def: { better: 'lower' } } as never, 0.35)).toBeCloseTo(1 / 0.35);
    expect(betterFactor({ def: { better: 'higher' } } as never, 2.2)).toBe(2.2);
    expect(fmtFactor(1 / 0.35)).toBe('2.9× better');
    expect(fmtFactor(0.8)).toBe('1.25× worse');
    expect(fmtFactor(32)).toBe('32× better');
    const svg = renderSvgChart(buildSummary(echoTrials()), 't');
    expect(svg).not.toMatch(/[↑↓]/);
    expect(svg).toContain('better →');
    // Bars of a lower-is-better metric SmartSocket wins grow right of the 1× line.
    const one = Number(/<line x1="([\d.]+)"[^>]*stroke="#000"/.exec(svg)![1]);
    const bars = [
      ...svg.matchAll(
        /<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="11"[^>]*><title>([^<]*)</g,
      ),
    ];
    for (const [, bx, , label] of bars)
      if (label!.includes('better')) expect(Number(bx)).toBeCloseTo(one, 0);
  });

  it('keeps goal ticks off the value labels: values sit in their own column right of the plot', () => {
    const svg = renderSvgChart(buildSummary(echoTrials()), 't');
    const ticks = [...svg.matchAll(/<line x1="([\d.]+)"[^>]*stroke-width="2"/g)].map((m) =>
      Number(m[1]),
    );
    const values = [...svg.matchAll(/<text x="([\d.]+)"[^>]*fill="#333">/g)].map((m) =>
      Number(m[1]),
    );
    expect(ticks.length).toBeGreaterThan(0);
    expect(Math.min(...values)).toBeGreaterThan(Math.max(...ticks) + 4);
  });

  it('labels a smoke run and shows no goal verdicts anywhere', () => {
    const summary = buildSummary(echoTrials(), { smoke: true });
    const text = renderTextSummary(summary);
    expect(text.split('\n')[0]).toBe('smoke run — sizes too small to judge goals:');
    expect(text.split('\n').slice(1).join('\n')).not.toMatch(/\b(met|missed)\b|goal/);
    const md = renderMarkdown(result(), summary, 'quick.svg');
    expect(md).toContain('# SmartSocket bench — smoke run — sizes too small to judge goals');
    expect(md).not.toMatch(/\b(met|missed)\b|## Goals|\| goal \|/);
    expect(renderSvgChart(summary, 't')).not.toMatch(/goal|stroke-width="2"/);
  });

  it('renders an aligned text table', () => {
    const text = renderTextSummary(buildSummary(echoTrials()));
    const [header, rule] = text.split('\n');
    expect(header!.indexOf('Socket.IO')).toBe(rule!.split('  ').slice(0, 3).join('  ').length + 2);
  });
});
