// Builds the browser bundle: dist/SmartSocketClient.js (IIFE, global `SmartSocketClient`, minified,
// no `ws`, node:zlib or node:crypto) and the chunks it loads on first need from next to its own
// URL (SmartSocketClient.deflate.js, .pako.js, .seal.js, .noble.js), and prints their sizes.
// `buildBrowserBundle` is also used by the browser test, so it runs without a prior `pnpm build`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The lazily loaded chunks: source module → file name next to the main script. The names are
 * fixed (the main script imports them by these names, relative to its own URL).
 */
export const CHUNKS = {
  './native-deflater.js': { entry: 'native-deflater.ts', file: 'SmartSocketClient.deflate.js' },
  './pako-deflater.js': { entry: 'pako-deflater.ts', file: 'SmartSocketClient.pako.js' },
  './webcrypto-sealing.js': { entry: 'webcrypto-sealing.ts', file: 'SmartSocketClient.seal.js' },
  './sealing.js': { entry: 'sealing.ts', file: 'SmartSocketClient.noble.js' },
};

/** Where the main script publishes the error class the chunks throw (one class, one realm). */
const ERROR_GLOBAL = 'Symbol.for("smartsocket.error")';

const common = {
  bundle: true,
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  // Workspace packages from source, so the bundle needs no prior build of its dependencies.
  conditions: ['@smartsocket/source', 'browser'],
  write: false,
  logLevel: 'silent',
};

/** Main script: the chunks' dynamic imports stay imports, of the chunk files. */
const externalChunks = {
  name: 'external-chunks',
  setup(b) {
    b.onResolve(
      { filter: /^\.\/(native-deflater|pako-deflater|webcrypto-sealing|sealing)\.js$/ },
      (args) =>
        args.kind === 'dynamic-import'
          ? { path: `./${CHUNKS[args.path].file}`, external: true }
          : undefined,
    );
  },
};

/**
 * Chunks: `SmartSocketError` is the main script's class, so `instanceof` and error codes work
 * across files and the chunk does not carry a second copy.
 */
const sharedErrors = {
  name: 'shared-errors',
  setup(b) {
    b.onResolve({ filter: /smart-socket-error(\.js)?$/ }, (args) => ({
      path: args.path,
      namespace: 'shared-errors',
    }));
    b.onLoad({ filter: /.*/, namespace: 'shared-errors' }, () => ({
      contents: `const g = globalThis[${ERROR_GLOBAL}];
export const SmartSocketError = g.SmartSocketError;
export const isSmartSocketError = g.isSmartSocketError;`,
      loader: 'js',
    }));
  },
};

function sizeOf(path, contents) {
  return { path, bytes: contents.length, gzipBytes: gzipSync(contents, { level: 9 }).length };
}

function checkClean(file) {
  if (/\bfrom ?["']ws["']|require\(["']ws["']\)/.test(file.text))
    throw new Error('ws leaked into the browser bundle');
  if (/node:(zlib|crypto)|require\(["'](zlib|crypto)["']\)/.test(file.text))
    throw new Error('node:zlib or node:crypto leaked into the browser bundle');
}

/**
 * Bundles src/browser-global.ts into `outfile` and the chunks next to it.
 * @returns {Promise<{ outfile: string, bytes: number, gzipBytes: number,
 *   chunks: Record<'deflate' | 'pako' | 'seal' | 'noble', { path: string, bytes: number, gzipBytes: number }> }>}
 */
export async function buildBrowserBundle({
  outfile = join(root, 'dist', 'SmartSocketClient.js'),
} = {}) {
  const dir = dirname(outfile);
  mkdirSync(dir, { recursive: true });
  const main = await build({
    ...common,
    entryPoints: [join(root, 'src', 'browser-global.ts')],
    outfile,
    format: 'iife',
    plugins: [externalChunks],
  });
  const file = main.outputFiles[0];
  checkClean(file);
  writeFileSync(outfile, file.contents);
  const chunks = {};
  for (const { entry, file: name } of Object.values(CHUNKS)) {
    const out = join(dir, name);
    const result = await build({
      ...common,
      entryPoints: [join(root, 'src', entry)],
      outfile: out,
      format: 'esm',
      plugins: [sharedErrors],
    });
    const chunk = result.outputFiles[0];
    checkClean(chunk);
    writeFileSync(out, chunk.contents);
    chunks[name.split('.')[1]] = sizeOf(out, chunk.contents);
  }
  return { outfile, ...sizeOf(outfile, file.contents), chunks };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildBrowserBundle();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  for (const { path, bytes, gzipBytes } of [built, ...Object.values(built.chunks)])
    console.log(`dist/${basename(path)}: ${kb(bytes)} minified, ${kb(gzipBytes)} min+gzip`);
}
