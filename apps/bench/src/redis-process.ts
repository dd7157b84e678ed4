// A local redis-server for the multi-server scenario: free port, no persistence, CPU from INFO cpu.
import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { delay } from './clock.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Sends one inline command and resolves with the whole reply text (small replies only). */
function command(port: number, line: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis ${line}: no reply`));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      // A bulk reply `$<len>\r\n<body>\r\n` or a simple one `+…\r\n`: done when complete.
      const bulk = /^\$(\d+)\r\n/.exec(reply);
      if (!bulk || reply.length >= bulk[0].length + Number(bulk[1]) + 2) {
        clearTimeout(timer);
        socket.destroy();
        resolve(reply);
      }
    });
  });
}

/** A redis-server child process. */
export class RedisProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts `redis-server` on a free port with `--save '' --appendonly no`; waits for PONG. */
  static async start(): Promise<RedisProcess> {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (err) =>
        reject(new Error(`redis-server could not start: ${err.message}`)),
      );
    });
    const redis = new RedisProcess(child, port);
    const ready = (async () => {
      for (let i = 0; i < 200; i++) {
        if (
          await command(port, 'PING', 500).then(
            (r) => r.startsWith('+PONG'),
            () => false,
          )
        )
          return redis;
        await delay(25);
      }
      throw new Error('redis-server did not answer PING');
    })();
    return Promise.race([ready, failed]).catch((err) => {
      child.kill('SIGKILL');
      throw err;
    });
  }

  /** CPU µs Redis has used (`used_cpu_sys + used_cpu_user` of `INFO cpu`). */
  async cpuMicros(): Promise<number> {
    const info = await command(this.port, 'INFO cpu');
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1]);
    return (field('used_cpu_sys') + field('used_cpu_user')) * 1e6;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}
