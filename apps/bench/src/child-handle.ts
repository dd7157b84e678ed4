// Orchestrator side of a child process: fork with tsx + the source condition, call commands, shut down.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHILD_TIMEOUT_ENV, type ChildMessage, type CommandMessage } from './child-protocol.js';

/** How to start a child. */
export interface SpawnOptions {
  /** Script path relative to this directory, e.g. `server-child.ts`. */
  script: string;
  /** Pass --expose-gc (server under test, for memory measurements). */
  exposeGc?: boolean;
  /** Hard lifetime limit of the child in ms. */
  lifetimeMs: number;
  /** Max ms to wait for the child's ready message. */
  readyTimeoutMs?: number;
  /** Start the child with this `ulimit -n` (through `sh`, as Node cannot raise its own limit). */
  fdLimit?: number;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Node flags every child gets: tsx's loader and the workspace source condition, so no build is needed. */
export function childExecArgv(exposeGc = false): string[] {
  const args = ['--import', import.meta.resolve('tsx'), '--conditions=@smartsocket/source'];
  if (exposeGc) args.push('--expose-gc');
  return args;
}

/** A forked child speaking the command protocol of `child-protocol.ts`. */
export class ChildHandle {
  readonly pid: number;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exitError: Error | undefined;
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.pid = child.pid ?? -1;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitError = new Error(`child ${this.pid} exited (code ${code}, signal ${signal})`);
        for (const p of this.pending.values()) {
          clearTimeout(p.timer);
          p.reject(this.exitError);
        }
        this.pending.clear();
        resolve();
      });
    });
    child.on('message', (raw) => {
      const msg = raw as ChildMessage;
      if (msg.kind !== 'reply') return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error ?? 'child command failed'));
    });
  }

  /** Forks the child and waits for it to report ready. */
  static async spawn(opts: SpawnOptions): Promise<ChildHandle> {
    const script = fileURLToPath(new URL(opts.script, import.meta.url));
    const common = {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as ('ignore' | 'inherit' | 'ipc')[],
      serialization: 'advanced' as const,
      env: { ...process.env, [CHILD_TIMEOUT_ENV]: String(opts.lifetimeMs) },
    };
    // `exec` replaces the shell with node: the same pid (kill, /proc sampling) and IPC descriptor.
    const child = opts.fdLimit
      ? spawn(
          'sh',
          [
            '-c',
            `ulimit -n ${Math.floor(opts.fdLimit)} && exec "$0" "$@"`,
            process.execPath,
            ...childExecArgv(opts.exposeGc),
            script,
          ],
          common,
        )
      : fork(script, [], { ...common, execArgv: childExecArgv(opts.exposeGc) });
    const handle = new ChildHandle(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(`child ${opts.script} not ready within ${opts.readyTimeoutMs ?? 20_000} ms`),
        );
      }, opts.readyTimeoutMs ?? 20_000);
      const onMessage = (raw: unknown) => {
        if ((raw as ChildMessage).kind !== 'ready') return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`child ${opts.script} exited before ready (code ${code})`));
      });
    });
    return handle;
  }

  /** Runs one command in the child; rejects on error, on child exit or after timeoutMs. */
  call<T>(cmd: string, args: unknown = {}, timeoutMs = 30_000): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`command ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ kind: 'cmd', id, cmd, args } satisfies CommandMessage);
    });
  }

  /** Closes the IPC channel (the child exits on 'disconnect'); SIGKILL after graceMs. */
  async close(graceMs = 3000): Promise<void> {
    if (this.exitError) return;
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
