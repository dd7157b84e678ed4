// Real redis-server processes for the tests: one standalone server or a 3-master cluster, on free ports.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A free TCP port on 127.0.0.1 (the kernel picks it; never 6379 by chance of config). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Sends one inline command and resolves with the raw reply (enough for PING/INFO in tests). */
export async function redisCommand(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    timeout: 10_000,
  });
  return stdout;
}

async function waitForPing(port: number, deadline = Date.now() + 10_000): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('error', () => resolve(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Every live redis-server child, killed when the test process exits however it exits (afterAll
// stops them too; this covers a crashed or interrupted worker).
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** One redis-server child: `stop()` kills it (SIGKILL), `start()` runs it again on the same port. */
export class RedisServer {
  #child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    readonly extraArgs: readonly string[] = [],
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async start(): Promise<this> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    const child = spawn('redis-server', [...args, ...this.extraArgs], { stdio: 'ignore' });
    this.#child = child;
    live.add(child);
    child.once('exit', () => live.delete(child));
    await waitForPing(this.port);
    return this;
  }

  /** Kills the server at once (like a crash). */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** `INFO commandstats` as `command → calls`. */
  async commandCalls(): Promise<Map<string, number>> {
    const out = await redisCommand(this.port, 'INFO', 'commandstats');
    const calls = new Map<string, number>();
    for (const m of out.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm))
      calls.set(m[1] as string, Number(m[2]));
    return calls;
  }

  /** Channels with at least one subscriber (`SHARDCHANNELS` with `sharded`). */
  async channels(sharded = false): Promise<string[]> {
    const out = await redisCommand(this.port, 'PUBSUB', sharded ? 'SHARDCHANNELS' : 'CHANNELS');
    return out.split('\n').filter((line) => line.trim() !== '');
  }
}

/** Starts a standalone server on a free port. */
export async function startRedis(): Promise<RedisServer> {
  return new RedisServer(await freePort()).start();
}

/** A Redis Cluster of three masters (no replicas) in a temporary directory. */
export class RedisCluster {
  constructor(
    readonly nodes: RedisServer[],
    readonly dir: string,
  ) {}

  get url(): string {
    return (this.nodes[0] as RedisServer).url;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Starts three cluster-enabled servers, joins them with `redis-cli --cluster create`, waits for ok. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'smartsocket-redis-cluster-'));
  const nodes: RedisServer[] = [];
  const cluster = new RedisCluster(nodes, dir);
  try {
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const node = new RedisServer(port, [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--dir',
        dir,
        '--cluster-node-timeout',
        '2000',
      ]);
      nodes.push(node);
      await node.start();
    }
    await run(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-yes'],
      { timeout: 30_000 },
    );
    const deadline = Date.now() + 20_000;
    for (const node of nodes) {
      while (!(await redisCommand(node.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) {
        if (Date.now() > deadline) throw new Error('the Redis cluster did not reach state ok');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return cluster;
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}
