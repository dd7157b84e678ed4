import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const [entry, target = 'es2020'] = process.argv.slice(2);
const ext = {
  name: 'x',
  setup(b) {
    b.onResolve({ filter: /^\.\/(pako-deflater|sealing)\.js$/ }, (a) =>
      a.kind === 'dynamic-import' ? { path: a.path, external: true } : undefined,
    );
  },
};
const r = await build({
  entryPoints: [entry],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: [target],
  minify: true,
  write: false,
  metafile: true,
  conditions: ['@smartsocket/source', 'browser'],
  logLevel: 'silent',
  legalComments: 'none',
  plugins: [ext],
});
const out = Object.values(r.metafile.outputs)[0];
console.log('total', out.bytes, 'gz', gzipSync(r.outputFiles[0].contents, { level: 9 }).length);
if (process.env.V) {
  const rows = Object.entries(out.inputs)
    .map(([k, v]) => [v.bytesInOutput, k.replace(/.*node_modules\//, '')])
    .sort((a, b) => b[0] - a[0]);
  for (const [b, k] of rows) console.log(b, k);
}
