// The server of the node:cluster scenario: the primary relays the bus, each worker runs the echo server.
// Env: WORKERS, LIFETIME_MS. Prints one JSON line `{ "port": n, "pids": [primary, …workers] }` when
// every worker listens; exits with its workers on SIGTERM, when stdin closes, or after LIFETIME_MS.
import cluster from 'node:cluster';
import { startSmartSocketServer } from './impls/smartsocket-server.js';

// A variable specifier, as in the impls: a broken package fails this scenario only.
const CLUSTER_PACKAGE = '@smartsocket/server/cluster';

const noHooks = { onConnection() {}, onDisconnect() {}, onEcho() {} };

if (cluster.isPrimary) {
  const { setupPrimary } = (await import(CLUSTER_PACKAGE)) as { setupPrimary(): unknown };
  setupPrimary();
  const workers = Number(process.env.WORKERS ?? 2);
  const pids: number[] = [];
  let port = 0;
  const stop = (): void => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
    process.exit(0);
  };
  for (let i = 0; i < workers; i++) {
    const worker = cluster.fork();
    worker.on('message', (msg: { port?: number }) => {
      if (typeof msg?.port !== 'number') return;
      port = msg.port;
      pids.push(worker.process.pid ?? -1);
      if (pids.length === workers)
        process.stdout.write(`${JSON.stringify({ port, pids: [process.pid, ...pids] })}\n`);
    });
    worker.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
    });
  }
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
  setTimeout(stop, Number(process.env.LIFETIME_MS ?? 300_000)).unref();
} else {
  // Port 0 in every worker: node:cluster hands them all the same port.
  const server = await startSmartSocketServer(noHooks, { compression: false, nodeCluster: true });
  process.send?.({ port: server.port });
}
