// The README's quick start, run as pasted (only host and port changed to a free 127.0.0.1 port).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

describe('README', () => {
  it('quick start works when pasted', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const snippet = /## Quick start[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet).toContain("new SmartSocketClient('ws://localhost:3000')");
    const port = await freePort();
    const code = snippet!
      .replace('{ port: 3000 }', `{ host: '127.0.0.1', port: ${port} }`)
      .replace('ws://localhost:3000', `ws://127.0.0.1:${port}`);
    const child = spawn(
      process.execPath,
      ['--conditions=@smartsocket/source', '--import', 'tsx', '--input-type=module', '-e', code],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const exitCode = await new Promise((resolve) => child.on('exit', resolve));
    clearTimeout(timer);
    expect(out).toMatch(/^connected as [0-9a-f-]{36}\n\{ ok: true, id: 1, title: 'hello' \}\n$/);
    expect(exitCode).toBe(0);
  }, 20_000);
});
