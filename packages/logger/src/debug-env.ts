// Reads the `DEBUG` namespace list from wherever the platform keeps it, without assuming Node.

interface EnvHost {
  process?: { env?: Record<string, string | undefined> };
  localStorage?: { getItem(key: string): string | null };
}

/**
 * The `DEBUG` list in effect: `process.env.DEBUG` when `process` exists (Node, bundlers that
 * define it), then `localStorage.debug` in browsers (the key the `debug` package uses).
 * Never throws: storage access can be denied (sandboxed iframes, privacy modes).
 *
 * @example
 * // node: DEBUG=smartsocket:* node app.js
 * // browser console: localStorage.debug = 'smartsocket:client'
 * readDebugEnv(); // 'smartsocket:*'
 */
export function readDebugEnv(host: EnvHost = globalThis as EnvHost): string | undefined {
  try {
    const fromEnv = host.process?.env?.DEBUG;
    if (fromEnv) return fromEnv;
  } catch {
    // A `process` shim without `env` access: fall through to storage.
  }
  try {
    return host.localStorage?.getItem('debug') ?? undefined;
  } catch {
    return undefined;
  }
}
