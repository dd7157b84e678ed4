#!/usr/bin/env node
// Launcher of the `smartsocket-crypto` command, committed so installs find the bin before any build:
// the built CLI when there is one, else (in the repository, unbuilt) the TypeScript source via tsx.
const built = new URL('../dist/cli.js', import.meta.url);
try {
  await import(built.href);
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli.js'))
    throw err;
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write('smartsocket-crypto: not built yet; run `pnpm build` first\n');
    process.exit(1);
  }
  await import(new URL('../src/cli.ts', import.meta.url).href);
}
