// Markdown report of a run: how it was run, the summary table, goals, noise, failures, pending scenarios.
import type { BenchResult } from '../results.js';
import { type BenchSummary, SMOKE_LABEL } from '../summary.js';
import { tableCells } from './columns.js';
import { fmtRatio } from './format.js';

const esc = (s: string) => s.replaceAll('|', '\\|');

/** A Markdown pipe table. */
export function markdownTable(header: string[], body: string[][]): string {
  const row = (cells: string[]) => `| ${cells.map(esc).join(' | ')} |`;
  return [row(header), row(header.map(() => '---')), ...body.map(row)].join('\n');
}

/** The full Markdown report. `chartFile` is linked when given. */
export function renderMarkdown(result: BenchResult, summary: BenchSummary, chartFile?: string) {
  const c = result.config;
  const m = result.machine;
  const lines: string[] = [];
  lines.push(`# SmartSocket bench — ${summary.smoke ? SMOKE_LABEL : 'full run'}`, '');
  lines.push(
    `Run ${result.startedAt} → ${result.finishedAt} on ${m.cpuModel} (${m.cores} cores, ${m.memoryGiB} GiB), ${m.os}, Node ${m.node}, ulimit -n ${m.openFilesLimit}.`,
    '',
    `${c.reps} repetition(s), implementations alternated within each; ${c.loaders} load process(es). ` +
      `Echo ${c.echo.conns} conns × ${c.echo.inFlight} in flight, ${c.echo.payloadBytes} B, ${c.echo.windowMs} ms window; ` +
      `broadcast to ${c.broadcast.clients} clients (${c.broadcast.pacedCount} paced every ${c.broadcast.intervalMs} ms, ` +
      `bursts of ${c.broadcast.burstCount}); memory at ${c.memory.conns} idle conns; ` +
      `setup of ${c.connect.count} conns, ${c.connect.concurrency} in flight; ` +
      `compressed: ${c.compressed.count} × ~${c.compressed.payloadBytes} B JSON to ${c.compressed.clients} clients; ` +
      `encrypted: ${c.encrypted.count} spread + ${c.encrypted.count} tick broadcasts to ${c.encrypted.clients} clients` +
      // Results saved before the Redis scenario existed have no `redis` section.
      (c.redis
        ? `; redis: ${c.redis.servers} servers on one local Redis, ${c.redis.clients} clients, ${c.redis.count} spread broadcasts to everyone and to a room on 2 servers`
        : '') +
      // Likewise for the node:cluster scenario.
      (c.cluster
        ? `; cluster: echo of ${c.cluster.conns} conns × ${c.cluster.inFlight} in flight on one process, then on ${c.cluster.workers} node:cluster workers.`
        : '.') +
      // Results saved before the idle scenario existed have no `idle` section.
      (c.idle && c.scenarios.includes('idle')
        ? ` Many idle connections: ${c.idle.conns} WebSocket connections from ${c.idle.loaders} load processes, each from its own 127.0.0.x source address, ${c.idle.concurrency} handshakes in flight.`
        : ''),
    '',
    'Cells: median (min–max) ±half the spread, over repetitions. Ratios: SmartSocket ÷ baseline, ' +
      'the median of per-repetition ratios. Broadcast rows compare with raw ws sending one prebuilt ' +
      'Buffer (“ws once”) for the raw-ws goal. CPU is the server process’s `process.cpuUsage()`. ' +
      'Broadcast latencies include the load process receiving for every client, so client-side cost ' +
      '(the “client CPU” rows) shows up in them.',
    '',
  );
  const { header, body } = tableCells(summary.rows);
  lines.push(markdownTable(header, body), '');
  if (chartFile) lines.push(`![SmartSocket ratios](${chartFile})`, '');
  const goalRows = summary.rows.flatMap((r) =>
    r.goals.map((g) => [
      r.def.label.trim(),
      g.goal.absolute ? '(own value)' : g.goal.baseline,
      `${g.goal.op} ${g.goal.target}`,
      fmtRatio(g.ratio),
      g.status,
    ]),
  );
  if (goalRows.length) {
    lines.push(
      '## Goals',
      '',
      markdownTable(['metric', 'vs', 'goal', 'ratio', 'status'], goalRows),
    );
    lines.push('');
  }
  lines.push('## Machine noise', '');
  lines.push(
    `${summary.trials} trials, ${summary.repeatedTrials} repeated because another process used more than ` +
      `${Math.round(c.noiseThreshold * 100)}% of the machine; ${summary.flaggedTrials} counted trial(s) still flagged; ` +
      `highest other load in a counted window: ${Math.round(summary.maxOtherLoad * 100)}%` +
      (result.unrepeated
        ? `; ${result.unrepeated} flagged trial(s) not repeated (time budget).`
        : '.'),
    '',
  );
  if (summary.failures.length) {
    lines.push('## Failures', '');
    for (const f of summary.failures) {
      lines.push(`- **${f.impl}** failed in ${f.scenario} (rep ${f.rep}): \`${f.error}\``);
    }
    lines.push('');
  }
  if (result.pending.length) {
    lines.push('## Not yet run', '');
    for (const p of result.pending) lines.push(`- ${p.title} — waiting for ${p.waitingFor}.`);
    lines.push('');
  }
  return lines.join('\n');
}
