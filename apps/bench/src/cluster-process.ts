// Starts cluster-app.ts (a node:cluster primary and its workers) for the cluster scenario; CPU from /proc.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { childExecArgv } from './child-handle.js';
import { parsePidStat } from './proc-stat.js';

const script = fileURLToPath(new URL('./cluster-app.ts', import.meta.url));
// /proc/<pid>/stat counts in clock ticks; 100 per second on Linux.
const MICROS_PER_TICK = 10_000;

/** A running node:cluster server: the shared port, the pids (primary first), CPU and `stop()`. */
export class ClusterProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly pids: number[],
  ) {}

  /** Starts `workers` workers; resolves when all of them listen. */
  static async start(workers: number, lifetimeMs: number): Promise<ClusterProcess> {
    const child = spawn(process.execPath, [...childExecArgv(), script], {
      env: { ...process.env, WORKERS: String(workers), LIFETIME_MS: String(lifetimeMs) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const ready = await new Promise<{ port: number; pids: number[] }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the cluster did not start')), 30_000);
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (!line) return;
        clearTimeout(timer);
        resolve(JSON.parse(line) as { port: number; pids: number[] });
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the cluster exited with ${code}`));
      });
    });
    return new ClusterProcess(child, ready.port, ready.pids);
  }

  /** CPU µs used so far by the primary and every worker (user + system). */
  cpuMicros(): number {
    let ticks = 0;
    for (const pid of this.pids) ticks += parsePidStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return ticks * MICROS_PER_TICK;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
