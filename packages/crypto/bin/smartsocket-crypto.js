#!/usr/bin/env node
// Launcher of the `smartsocket-crypto` command, committed so installs find the bin before any build:
// the built CLI when there is one, else (in the repository, unbuilt) the TypeScript source via tsx.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

try {
  await import(new URL('../dist/cli.js', import.meta.url).href);
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli.js'))
    throw err;
  let tsx;
  try {
    tsx = import.meta.resolve('tsx');
  } catch {
    process.stderr.write('smartsocket-crypto: not built yet; run `pnpm build` first\n');
    process.exit(1);
  }
  // The workspace packages resolve to their sources only under this condition, set at start-up.
  const src = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const child = spawnSync(
    process.execPath,
    ['--conditions=@smartsocket/source', '--import', tsx, src, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(child.status ?? 1);
}
