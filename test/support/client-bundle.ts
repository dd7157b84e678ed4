// Builds @smartsocket/client's browser bundle where `pnpm build` puts it (dist/SmartSocketClient.js),
// from source, so tests of the server's `{path}/client.js` route never serve a stale or missing file.
import { renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the server's `serveClient` route reads the bundle from in the workspace. */
export const CLIENT_BUNDLE = fileURLToPath(
  new URL('../../packages/client/dist/SmartSocketClient.js', import.meta.url),
);

/**
 * Rebuilds the bundle; written to a temporary name and renamed, so a server reading it in a
 * parallel test never sees half a file.
 */
export async function buildClientBundle(): Promise<string> {
  const script = new URL('../../packages/client/scripts/build-browser.mjs', import.meta.url).href;
  const { buildBrowserBundle } = await import(/* @vite-ignore */ script);
  const tmp = `${CLIENT_BUNDLE}.${process.pid}.tmp`;
  await buildBrowserBundle({ outfile: tmp });
  renameSync(tmp, CLIENT_BUNDLE);
  return CLIENT_BUNDLE;
}
