// Writes a run's outputs: <outDir>/latest.{json,md,svg} (quick runs: quick.*) and the optional --json copy.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BenchResult } from '../results.js';
import { type BenchSummary, SMOKE_LABEL } from '../summary.js';
import { renderMarkdown } from './markdown.js';
import { renderSvgChart } from './svg-chart.js';

/** Writes every output file; returns the paths written. */
export async function writeResults(result: BenchResult, summary: BenchSummary): Promise<string[]> {
  const { outDir, jsonFile, quick } = result.config;
  const stem = quick ? 'quick' : 'latest';
  await mkdir(outDir, { recursive: true });
  const json = `${JSON.stringify({ ...result, summary }, null, 2)}\n`;
  const title = `SmartSocket ${summary.smoke ? `${SMOKE_LABEL},` : 'full run,'} ${result.startedAt.slice(0, 16)}Z`;
  const files: [string, string][] = [
    [join(outDir, `${stem}.json`), json],
    [join(outDir, `${stem}.svg`), renderSvgChart(summary, title)],
    [join(outDir, `${stem}.md`), renderMarkdown(result, summary, `${stem}.svg`)],
  ];
  if (jsonFile) files.push([jsonFile, json]);
  for (const [path, text] of files) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
  return files.map(([p]) => p);
}
