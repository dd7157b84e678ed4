// File descriptors: how many each child needs, whether `ulimit -n` allows it, and how to explain it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { BenchConfig } from './config.js';

/** Descriptors a process needs beyond one per connection (runtime, IPC, pipes, listening socket). */
const SLACK = 200;

/** Descriptors the server child needs at most: one per connection of the biggest selected scenario. */
export function neededFds(c: BenchConfig): number {
  const conns = [c.memory.conns, c.broadcast.clients, c.connect.count, c.echo.conns];
  if (c.scenarios.includes('idle')) conns.push(c.idle.conns);
  return Math.max(...conns) + SLACK;
}

/** The limits as the shell reports them (`Infinity` for "unlimited"). */
export interface FdLimits {
  soft: number;
  hard: number;
  /** Whether `ulimit -n needed` succeeds in a child shell (above the hard limit: root only). */
  canRaise: boolean;
  /** /proc/sys/fs/nr_open: the kernel's ceiling for any process. */
  nrOpen?: number;
}

/** What to do before the run: start children as they are, raise their limit, or stop and explain. */
export type FdPlan = { ok: true; raiseTo?: number } | { ok: false; message: string };

/** Decides from the limits alone (pure, so every branch is testable). */
export function planFds(needed: number, limits: FdLimits): FdPlan {
  if (limits.soft >= needed) return { ok: true };
  if (limits.canRaise) return { ok: true, raiseTo: needed };
  const hard = Number.isFinite(limits.hard) ? String(limits.hard) : 'unlimited';
  const smaller = Math.max(0, Math.min(limits.hard, limits.soft) - SLACK);
  const lines = [
    `ulimit -n is too low: the server child must hold ${needed} file descriptors (one per`,
    `connection of the biggest scenario plus ${SLACK} for the runtime), but the limit here is`,
    `${limits.soft} (soft) / ${hard} (hard) and cannot be raised to ${needed}.`,
    'Node cannot raise its own limit, so the bench starts its children through',
    `\`sh -c 'ulimit -n ${needed}; exec node …'\`; that works up to the hard limit, and beyond it`,
    'only with CAP_SYS_RESOURCE (root outside a container; inside one, the container runtime sets',
    'the ceiling). Any of these fixes it:',
    `  - \`ulimit -n ${needed}\` as root in this shell before \`pnpm bench\`` +
      (limits.nrOpen ? ` (the kernel allows up to ${limits.nrOpen}, /proc/sys/fs/nr_open)` : ''),
    `  - a \`nofile ${needed}\` line in /etc/security/limits.conf (log in again), LimitNOFILE=${needed}`,
    `    for a systemd unit, or \`docker run --ulimit nofile=${needed}:${needed}\` for a container`,
    `  - a smaller run: at most ${smaller} connections in any scenario (--idle-conns, --mem-conns,`,
    '    --connect-count, --bcast-clients)',
  ];
  return { ok: false, message: lines.join('\n') };
}

function shell(script: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', script], { encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return undefined;
  }
}

function parseLimit(text: string | undefined): number {
  if (text === 'unlimited') return Number.POSITIVE_INFINITY;
  const n = Number(text);
  return Number.isFinite(n) ? n : 0;
}

/** Reads this process's limits and probes whether a child shell may go up to `needed`. */
export function readFdLimits(needed: number): FdLimits {
  let nrOpen: number | undefined;
  try {
    nrOpen = Number(readFileSync('/proc/sys/fs/nr_open', 'utf8').trim());
  } catch {
    nrOpen = undefined;
  }
  return {
    soft: parseLimit(shell('ulimit -n')),
    hard: parseLimit(shell('ulimit -Hn')),
    canRaise: shell(`ulimit -n ${Math.floor(needed)} && echo ok`) === 'ok',
    ...(nrOpen ? { nrOpen } : {}),
  };
}

const planned = new Map<number, FdPlan>();

/** The limit every child of a run with `config` is started with, or undefined when it already has enough. */
export function childFdLimit(config: BenchConfig): number | undefined {
  const needed = neededFds(config);
  let plan = planned.get(needed);
  if (!plan) {
    plan = planFds(needed, readFdLimits(needed));
    planned.set(needed, plan);
  }
  return plan.ok ? plan.raiseTo : undefined;
}
