// `pnpm bench` entry: parse options, check limits, run the orchestrator, print and write the results.
import { readFile } from 'node:fs/promises';
import { parseCli, USAGE } from './cli-options.js';
import type { BenchConfig } from './config.js';
import { localPortRange, portShortage } from './ephemeral-ports.js';
import { neededFds, planFds, readFdLimits } from './fd-limits.js';
import { runBench } from './orchestrator.js';
import { Progress } from './progress.js';
import { renderTextSummary } from './report/text-table.js';
import { writeResults } from './report/write-results.js';
import type { BenchResult } from './results.js';
import { buildSummary } from './summary.js';

/** Stops before the run when the descriptors or ephemeral ports the run needs are not there. */
function checkLimits(config: BenchConfig): string | undefined {
  const needed = neededFds(config);
  const plan = planFds(needed, readFdLimits(needed));
  if (!plan.ok) return plan.message;
  if (plan.raiseTo) process.stderr.write(`children start with ulimit -n ${plan.raiseTo}\n`);
  if (!config.scenarios.includes('idle')) return undefined;
  const perAddress = Math.ceil(config.idle.conns / config.idle.loaders);
  return portShortage(perAddress, config.idle.loaders, localPortRange());
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { config } = parsed;
  if (parsed.render) {
    const saved = JSON.parse(await readFile(parsed.render, 'utf8')) as BenchResult;
    const result = { ...saved, config: { ...saved.config, outDir: config.outDir } };
    const files = await writeResults(
      result,
      buildSummary(result.trials, { smoke: result.config.quick }),
    );
    process.stdout.write(`wrote ${files.join(', ')}\n`);
    return 0;
  }
  const problem = checkLimits(config);
  if (problem) {
    // Say what to change instead of failing mid-scenario with EMFILE or EADDRNOTAVAIL.
    process.stderr.write(`${problem}\n`);
    return 2;
  }
  const progress = new Progress(Boolean(process.stderr.isTTY));
  const result = await runBench(config, progress);
  const summary = buildSummary(result.trials, { smoke: config.quick });
  process.stdout.write(`${renderTextSummary(summary)}\n`);
  const files = await writeResults(result, summary);
  process.stdout.write(`\nwrote ${files.join(', ')}\n`);
  const fatal = summary.failures.some((f) => config.strict || f.impl !== 'smartsocket');
  return fatal ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
