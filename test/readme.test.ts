// The root README's quick start must work when pasted: run it as a user would, on a free port.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

function quickStart(): string {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error('README has no ```js block under "## Quick start"');
  return match[1];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const file = `${root}.readme-quickstart-${process.pid}.mjs`;
afterEach(() => rmSync(file, { force: true }));

it('runs the README quick start as pasted (port swapped for a free one)', async () => {
  const port = await freePort();
  writeFileSync(file, quickStart().replaceAll('3000', String(port)));
  // The README runs it with `node` after `pnpm build`; here tsx reads the packages' src/ instead.
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--conditions=@smartsocket/source', file],
    { cwd: root, timeout: 15_000 },
  );
  expect(stdout).toContain('chat: Hello');
  expect(stdout).toContain('ack: { ok: true }');
});
