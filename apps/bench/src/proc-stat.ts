// Machine busy time from /proc/stat minus our own processes' CPU, to flag windows disturbed by other load.
import { readFileSync } from 'node:fs';

/** Aggregate CPU jiffies from the first line of /proc/stat. */
export interface CpuTimes {
  busy: number;
  total: number;
}

/**
 * Parses the aggregate `cpu` line of /proc/stat. `busy` is user + nice + system (guest time is
 * inside user). irq and softirq are left out: during a bench they are mostly the kernel moving
 * our own loopback traffic, which no process's utime/stime includes, so counting them made a
 * network-heavy run on an idle machine look busy with "other work". steal is left out too (the
 * hypervisor's, not work on this machine). `total` is every field but guest (already in user).
 */
export function parseProcStat(text: string): CpuTimes {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('no aggregate cpu line in /proc/stat');
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const busy = user + nice + system;
  return { busy, total: busy + idle + iowait + irq + softirq + steal };
}

/** Parses utime + stime (jiffies) from /proc/<pid>/stat; the command name may hold spaces and parens. */
export function parsePidStat(text: string): number {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('malformed /proc/<pid>/stat');
  // Fields after the name start at field 3 (state); utime is field 14 and stime field 15.
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  return Number(rest[11]) + Number(rest[12]);
}

/** One reading of the machine and of our processes (pid → utime + stime jiffies). */
export interface LoadSample {
  cpu: CpuTimes;
  ours: ReadonlyMap<number, number>;
}

/**
 * Windows shorter than this many jiffies of machine capacity (0.25 s on 2 cores at 100 Hz) are
 * not judged: /proc/stat counts whole ticks per CPU while process times are accounted
 * separately, so over a few ticks the two disagree by more than the load being measured.
 */
export const MIN_JUDGED_JIFFIES = 50;

/**
 * Share of the whole machine's capacity (0..1) used by processes other than ours between two
 * samples, or -1 when the window cannot be judged: too short (see {@link MIN_JUDGED_JIFFIES}),
 * or one of our processes exited meanwhile (its CPU in the window is unknown, and counting it as
 * zero would call our own work "other"). A process that started meanwhile counts in full.
 */
export function otherLoad(a: LoadSample, b: LoadSample): number {
  const total = b.cpu.total - a.cpu.total;
  if (total < MIN_JUDGED_JIFFIES) return -1;
  let ours = 0;
  for (const [pid, before] of a.ours) {
    const after = b.ours.get(pid);
    if (after === undefined) return -1;
    ours += after - before;
  }
  for (const [pid, after] of b.ours) if (!a.ours.has(pid)) ours += after;
  const other = b.cpu.busy - a.cpu.busy - ours;
  return Math.min(1, Math.max(0, other / total));
}

function readOrEmpty(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Reads /proc now for the given pids; returns undefined where /proc is unavailable (non-Linux). */
export function sampleLoad(pids: readonly number[]): LoadSample | undefined {
  const stat = readOrEmpty('/proc/stat');
  if (stat === undefined) return undefined;
  const ours = new Map<number, number>();
  for (const pid of pids) {
    const text = readOrEmpty(`/proc/${pid}/stat`);
    if (text !== undefined) ours.set(pid, parsePidStat(text));
  }
  return { cpu: parseProcStat(stat), ours };
}
