// Starts support/server-child.ts in a child process (tsx, workspace sources) and reads its /proc io.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./server-child.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** A server process: its port, `rchar()` from `/proc/<pid>/io`, `kill()` (SIGKILL by default). */
export class ChildServer {
  constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  /** Bytes the process has read through read-like syscalls so far (sockets included). */
  rchar(): number {
    const io = readFileSync(`/proc/${this.child.pid}/io`, 'utf8');
    return Number(/^rchar: (\d+)/m.exec(io)?.[1]);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}

export async function startChildServer(
  redisUrl: string,
  liveness: object,
  timeout = 30_000,
): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@smartsocket/source', script],
    {
      cwd: packageDir,
      env: { ...process.env, REDIS_URL: redisUrl, LIVENESS: JSON.stringify(liveness) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child server did not start')), timeout);
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child server exited with ${code}`));
    });
  });
  return new ChildServer(child, port);
}
