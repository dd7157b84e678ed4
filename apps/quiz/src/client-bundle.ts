// The browser build of @smartsocket/client (global `SmartSocketClient`), made in memory at startup
// from the client's source with esbuild, so the demo needs no prior `pnpm build`.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the client package lives (its package.json is exported). */
function clientPackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@smartsocket/client/package.json'));
}

/**
 * JavaScript of the client's single-file browser bundle. Bundles `src/browser-global.ts` with
 * the same settings as the client's `scripts/build-browser.mjs`; falls back to a built
 * `dist/SmartSocketClient.js` when the source or esbuild is not there.
 *
 * @example
 * const js = await buildClientBundle();
 */
export async function buildClientBundle(): Promise<string> {
  const dir = clientPackageDir();
  const entry = join(dir, 'src', 'browser-global.ts');
  const built = join(dir, 'dist', 'SmartSocketClient.js');
  let sourceError: unknown;
  if (existsSync(entry)) {
    try {
      const { build } = await import('esbuild');
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        format: 'iife',
        platform: 'browser',
        target: ['es2020'],
        minify: true,
        legalComments: 'none',
        conditions: ['@smartsocket/source', 'browser'],
        logLevel: 'silent',
      });
      const file = result.outputFiles[0];
      if (file) return file.text;
    } catch (err) {
      sourceError = err;
    }
  }
  if (existsSync(built)) return readFileSync(built, 'utf8');
  throw new Error(`Cannot build the SmartSocket browser client from ${entry}`, {
    cause: sourceError,
  });
}
