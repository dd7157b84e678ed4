// Machine busy time from /proc/stat minus our own processes' CPU, to flag windows disturbed by other load.
import { readFileSync } from 'node:fs';

/** Aggregate CPU jiffies from the first line of /proc/stat. */
export interface CpuTimes {
  busy: number;
  total: number;
}

/** Parses the aggregate `cpu` line of /proc/stat; busy excludes idle and iowait (guest is inside user). */
export function parseProcStat(text: string): CpuTimes {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('no aggregate cpu line in /proc/stat');
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
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

/** One reading of the machine and of our processes. */
export interface LoadSample {
  cpu: CpuTimes;
  ours: number;
}

/** Share of the whole machine's capacity (0..1) used by processes other than ours between two samples. */
export function otherLoad(a: LoadSample, b: LoadSample): number {
  const total = b.cpu.total - a.cpu.total;
  if (total <= 0) return 0;
  const other = b.cpu.busy - a.cpu.busy - (b.ours - a.ours);
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
  let ours = 0;
  for (const pid of pids) {
    const text = readOrEmpty(`/proc/${pid}/stat`);
    if (text !== undefined) ours += parsePidStat(text);
  }
  return { cpu: parseProcStat(stat), ours };
}
