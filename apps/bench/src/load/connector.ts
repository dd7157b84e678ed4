// Opens many clients with a bounded number of handshakes in flight and a per-connection time limit.
import type { BenchClient, ClientFactory, ConnectOptions, Variant } from '../impls/types.js';

/** Connects `count` clients, at most `concurrency` at a time; rejects on the first failure. */
export async function connectMany(
  factory: ClientFactory,
  port: number,
  variant: Variant,
  count: number,
  concurrency: number,
  opts: ConnectOptions = {},
  perConnTimeoutMs = 10_000,
): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  let next = 0;
  let failed: Error | undefined;
  const worker = async () => {
    while (next < count && !failed) {
      next++;
      try {
        clients.push(await withTimeout(factory(port, variant, opts), perConnTimeoutMs));
      } catch (err) {
        failed ??= err instanceof Error ? err : new Error(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failed) {
    for (const c of clients) c.close();
    throw new Error(`connect failed after ${clients.length}/${count}: ${failed.message}`);
  }
  return clients;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`connection not open within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
