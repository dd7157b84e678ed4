// The real @smartsocket/client for end-to-end tests, loaded by path so this package's type check
// does not depend on the client's sources. Every client is disconnected by `cleanup`.
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './test-client.js';

const clientEntry = fileURLToPath(new URL('../../../client/src/index.ts', import.meta.url));

/** A `SmartSocketClient` (untyped: see above). */
export type AnyClient = any;

/** A client for the server on `port`, single try, closed by `cleanup`. */
export function realClient(
  cleanup: Cleanup,
  port: number,
  options: Record<string, unknown> = {},
): Promise<AnyClient> {
  return realClientAt(cleanup, `ws://127.0.0.1:${port}`, options);
}

/** A client for the server at `url` (any scheme the client takes), single try, closed by `cleanup`. */
export async function realClientAt(
  cleanup: Cleanup,
  url: string,
  options: Record<string, unknown> = {},
): Promise<AnyClient> {
  const { SmartSocketClient } = await import(/* @vite-ignore */ clientEntry);
  const c = new SmartSocketClient(url, {
    maxReconnectAttempts: 0,
    ...options,
  });
  cleanup.add(() => c.disconnect());
  return c;
}
