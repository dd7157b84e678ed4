// Builds @smartsocket/client's browser build where `pnpm build` puts it (dist/SmartSocketClient.js
// and its chunks), from source, so tests of the server's `{path}/client.js` route never serve a
// stale or missing file.
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../../packages/client/dist/', import.meta.url));

/** Where the server's `serveClient` route reads the main script from in the workspace. */
export const CLIENT_BUNDLE = join(DIST, 'SmartSocketClient.js');

/**
 * Rebuilds the main script and its chunks; built in a directory of its own and renamed into
 * dist/ file by file, so a server (or `pnpm pack`) reading them in a parallel test never sees
 * half a file.
 */
export async function buildClientBundle(): Promise<string> {
  const script = new URL('../../packages/client/scripts/build-browser.mjs', import.meta.url).href;
  const { buildBrowserBundle } = await import(/* @vite-ignore */ script);
  const tmp = join(DIST, `.build-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  try {
    await buildBrowserBundle({ outfile: join(tmp, 'SmartSocketClient.js') });
    for (const name of readdirSync(tmp)) renameSync(join(tmp, name), join(DIST, name));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return CLIENT_BUNDLE;
}
