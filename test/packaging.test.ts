// What we would publish installs and runs outside the workspace: every published package is
// packed (`pnpm pack`), the tarballs are installed with npm into a scratch project in a temp
// directory, and there we run the README quick start, type-check a file using typed events,
// run `npx smartsocket-crypto keygen`, and load the installed browser bundle in Chromium.
// Needs built packages: `.ci/run` builds first; a tree never built is built here.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium } from './support/chromium.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

interface Published {
  name: string;
  dir: string;
  main: string;
}

/** Every non-private package under packages/. */
function publishedPackages(): Published[] {
  const out: Published[] = [];
  for (const entry of readdirSync(join(root, 'packages'))) {
    const dir = join(root, 'packages', entry);
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (!pkg.private)
      out.push({ name: pkg.name, dir, main: join(dir, pkg.main ?? 'dist/index.js') });
  }
  return out;
}

/** The environment of a user's shell: none of the npm_config_* that pnpm sets for its scripts. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(npm|pnpm)_/i.test(k) && k !== 'NODE_OPTIONS') env[k] = v;
  return env;
}

function quickStart(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = /## Quick start[\s\S]*?```js\n([\s\S]*?)```/.exec(readme);
  if (!match?.[1]) throw new Error('README has no ```js block under "## Quick start"');
  return match[1];
}

// A user's TypeScript file: typed event maps on both sides, checked with the published .d.ts.
const TYPED = `import { SmartSocket, type Socket } from '@smartsocket/server';
import { SmartSocketClient } from '@smartsocket/client';
import { generateKey } from '@smartsocket/crypto';

interface ClientToServer {
  chat: (msg: { text: string }, ack: (res: { ok: boolean }) => void) => void;
}
interface ServerToClient {
  news: (n: { title: string }) => void;
}

const server = new SmartSocket<ClientToServer, ServerToClient>({ port: 0, encryptionKey: generateKey() });
server.on('chat', (socket: Socket<ClientToServer, ServerToClient>, msg, ack) => {
  const text: string = msg.text;
  socket.emit('news', { title: text });
  ack({ ok: true });
});
// @ts-expect-error the payload is { title: string }
server.emit('news', { title: 1 });
// @ts-expect-error one payload per event
server.emit('news', 'a', 'b');

const client = new SmartSocketClient<ServerToClient, ClientToServer>('ws://127.0.0.1:1');
client.on('news', (n) => {
  const title: string = n.title;
  return title;
});
const res: Promise<{ ok: boolean }> = client.emitWithAck('chat', { text: 'hi' });
// @ts-expect-error text is a string
client.emit('chat', { text: 1 });
void res;
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
  },
  files: ['typed.ts'],
};

// The page's own server: an http server with SmartSocket attached, serving client.js.
const PAGE_SERVER = `import { createServer } from 'node:http';
import { SmartSocket } from '@smartsocket/server';

const http = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<!doctype html><title>t</title><script src="/smartsocket/client.js"></script>');
});
const server = new SmartSocket({ server: http, host: '127.0.0.1', port: 0 });
server.on('echo', (_socket, data, ack) => ack?.({ echo: data }));
await server.start();
console.log('PORT=' + server.port);
process.on('SIGTERM', () => server.stop().then(() => process.exit(0)));
`;

describe('the published packages, installed with npm outside the workspace', {
  timeout: 180_000,
}, () => {
  let scratch: string;
  const children: ChildProcess[] = [];
  let browser: Browser | undefined;

  beforeAll(async () => {
    const packages = publishedPackages();
    const needsBuild = packages.some((p) => !existsSync(p.main));
    if (needsBuild) await run('pnpm', ['build'], { cwd: root, timeout: 240_000 });
    scratch = mkdtempSync(join(tmpdir(), 'smartsocket-packaging-'));
    const tarballs = join(scratch, 'tarballs');
    const deps: Record<string, string> = {};
    for (const p of packages) {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', tarballs], {
        cwd: p.dir,
        timeout: 60_000,
      });
      const tgz = stdout.trim().split('\n').pop()!.trim();
      deps[p.name] = `file:${tgz.startsWith('/') ? tgz : join(tarballs, tgz)}`;
    }
    const project = join(scratch, 'app');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(project);
    // overrides: our packages' dependencies on each other resolve to these tarballs too.
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'scratch-app',
        private: true,
        type: 'module',
        dependencies: { ...deps, '@types/node': '^20.19.0' },
        overrides: deps,
      }),
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: project,
      env: userEnv(),
      timeout: 240_000,
    });
    scratch = project;
  }, 480_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await browser?.close();
    if (scratch) rmSync(join(scratch, '..'), { recursive: true, force: true });
  });

  it('runs the README quick start as pasted (port swapped for a free one)', async () => {
    const code = quickStart()
      .replace('{ port: 3000 }', "{ host: '127.0.0.1', port: 0 }")
      .replace("'ws://localhost:3000'", "'ws://127.0.0.1:' + server.port");
    expect(code).toContain('server.port');
    writeFileSync(join(scratch, 'quickstart.mjs'), code);
    const { stdout } = await run(process.execPath, ['quickstart.mjs'], {
      cwd: scratch,
      env: userEnv(),
      timeout: 30_000,
    });
    expect(stdout).toContain('chat: Hello');
    expect(stdout).toContain('ack: { ok: true }');
  });

  it('type-checks a TypeScript file using the typed events against the published types', async () => {
    writeFileSync(join(scratch, 'typed.ts'), TYPED);
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: scratch,
      timeout: 120_000,
    }).catch((err: { stdout: string }) => ({ stdout: err.stdout, failed: true }));
    expect(result.stdout).toBe('');
  });

  it('runs npx smartsocket-crypto keygen', async () => {
    const { stdout } = await run('npx', ['--no-install', 'smartsocket-crypto', 'keygen'], {
      cwd: scratch,
      env: userEnv(),
      timeout: 30_000,
    });
    expect(Buffer.from(stdout.trim(), 'base64')).toHaveLength(32);
  });

  if (!hasChromium && !process.env.CI)
    console.warn(`packaging.test.ts: browser part skipped, ${CHROMIUM} not found`);

  it.skipIf(!hasChromium && !process.env.CI)(
    "loads the installed browser bundle from the server's /smartsocket/client.js in Chromium",
    async () => {
      writeFileSync(join(scratch, 'page-server.mjs'), PAGE_SERVER);
      const child = spawn(process.execPath, ['page-server.mjs'], {
        cwd: scratch,
        env: userEnv(),
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no port in ${out}`)), 20_000);
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /PORT=(\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
        child.on('exit', (code) => reject(new Error(`page server exited with ${code}`)));
      });
      browser = await launchChromium();
      const page = await browser.newPage();
      const messages: string[] = [];
      page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
      await page.goto(`http://127.0.0.1:${port}/`);
      const answer = await page.evaluate(async () => {
        const client = new (window as any).SmartSocketClient(location.origin);
        await client.connect();
        const res = await client.emitWithAck('echo', 'from the installed bundle');
        client.disconnect();
        return res;
      });
      await page.close();
      expect(answer).toEqual({ echo: 'from the installed bundle' });
      expect(messages).toEqual([]);
    },
  );

  it('installs a fresh clone of the repository without a warning', async () => {
    const clone = join(scratch, '..', 'clone');
    await run('git', ['clone', '--quiet', '--no-local', root, clone], { timeout: 60_000 });
    const { stdout, stderr } = await run(
      'pnpm',
      ['install', '--frozen-lockfile', '--prefer-offline', '--ignore-scripts'],
      { cwd: clone, env: userEnv(), timeout: 240_000 },
    );
    expect(`${stdout}${stderr}`).not.toMatch(/\bWARN\b/);
  });
});
