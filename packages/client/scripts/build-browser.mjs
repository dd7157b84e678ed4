// Builds the single-file browser bundle dist/SmartSocketClient.js (IIFE, global `SmartSocketClient`,
// minified, no `ws`, no node:zlib or node:crypto) and prints its size minified and gzipped. `buildBrowserBundle` is also used
// by the browser test, so it runs without a prior `pnpm build`.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles src/browser-global.ts into `outfile`.
 * @returns {Promise<{ outfile: string, bytes: number, gzipBytes: number }>}
 */
export async function buildBrowserBundle({
  outfile = join(root, 'dist', 'SmartSocketClient.js'),
} = {}) {
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await build({
    entryPoints: [join(root, 'src', 'browser-global.ts')],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    // Workspace packages from source, so the bundle needs no prior build of its dependencies.
    conditions: ['@smartsocket/source', 'browser'],
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  const { writeFileSync } = await import('node:fs');
  writeFileSync(outfile, file.contents);
  if (/\bfrom ?["']ws["']|require\(["']ws["']\)/.test(file.text))
    throw new Error('ws leaked into the browser bundle');
  if (/node:(zlib|crypto)|require\(["'](zlib|crypto)["']\)/.test(file.text))
    throw new Error('node:zlib or node:crypto leaked into the browser bundle');
  return {
    outfile,
    bytes: file.contents.length,
    gzipBytes: gzipSync(file.contents, { level: 9 }).length,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { outfile, bytes, gzipBytes } = await buildBrowserBundle();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `${outfile.slice(root.length + 1)}: ${kb(bytes)} minified, ${kb(gzipBytes)} min+gzip`,
  );
}
