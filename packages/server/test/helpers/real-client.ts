// The real @smartsocket/client for end-to-end tests, loaded by path so this package's type check
// does not depend on the client's sources. Every client is disconnected by `cleanup`.
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './test-client.js';

const clientEntry = fileURLToPath(new URL('../../../client/src/index.ts', import.meta.url));

/** A `SmartSocketClient` (untyped: see above). */
export type AnyClient = any;

/** A client for the server on `port`, single try, closed by `cleanup`. */
export async function realClient(
  cleanup: Cleanup,
  port: number,
  options: Record<string, unknown> = {},
): Promise<AnyClient> {
  const { SmartSocketClient } = await import(/* @vite-ignore */ clientEntry);
  const c = new SmartSocketClient(`ws://127.0.0.1:${port}`, {
    maxReconnectAttempts: 0,
    ...options,
  });
  cleanup.add(() => c.disconnect());
  return c;
}
