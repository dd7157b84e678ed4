// Every TypeScript/JavaScript code block of every README and docs/*.md is type-checked against
// the packages' sources, so examples cannot rot. A block whose info string says `outline`
// (```ts outline) is an API summary, not a program, and is skipped; every other block must compile.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownFiles } from './support/markdown-files.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

interface Block {
  file: string;
  line: number;
  lang: string;
  code: string;
}

const LANGS = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);

function blocksOf(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S+)(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
    if (!LANGS.has(open[1]!) || /\boutline\b/.test(open[2]!)) continue;
    out.push({ file, line: start + 1, lang: open[1]!, code: body.join('\n') });
  }
  return out;
}

// Names the fragments use without defining them: what the surrounding prose has introduced.
const PRELUDE = `import type { SmartSocket, Socket } from '@smartsocket/server';
import type { SmartSocketClient } from '@smartsocket/client';
declare global {
  const server: SmartSocket;
  const socket: Socket;
  const client: SmartSocketClient;
  const data: any;
  const userText: string;
  const secret: string;
  const newKey: string;
  const bytes: Uint8Array;
}
export {};
`;

// Third-party modules the examples show but the workspace does not install.
const AMBIENT = `declare module 'pino' {
  type Method = (message: string, ...args: unknown[]) => void;
  const pino: (options?: object) => { error: Method; warn: Method; info: Method; debug: Method; trace: Method };
  export default pino;
}
`;

const TSCONFIG = {
  extends: '../tsconfig.base.json',
  compilerOptions: {
    noEmit: true,
    noImplicitAny: false,
    noUncheckedIndexedAccess: false,
    allowJs: true,
    checkJs: true,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
  },
};

// Blocks are written next to their Markdown file, so imports resolve as they would there (an
// example's own dependencies, like express, come from its folder's node_modules).
const stem = `.doc-examples-${process.pid}`;
const dir = join(root, stem);
const made = new Set<string>([dir]);
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('code blocks in the documentation', () => {
  it('type-check', async () => {
    const blocks = markdownFiles().flatMap(blocksOf);
    expect(blocks.length).toBeGreaterThan(10);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'prelude.ts'), PRELUDE);
    writeFileSync(join(dir, 'ambient.d.ts'), AMBIENT);
    const origin = new Map<string, Block>();
    blocks.forEach((b, n) => {
      const home = join(dirname(b.file), stem);
      mkdirSync(home, { recursive: true });
      made.add(home);
      const file = join(
        home,
        `${relative(root, b.file).replace(/[^a-z0-9]+/gi, '-')}-${b.line}.mts`,
      );
      origin.set(file, b);
      // Each block is a module of its own (top-level await, names not shared between blocks).
      writeFileSync(file, `${b.code}\nexport {};\n// block ${n}\n`);
    });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ ...TSCONFIG, files: ['prelude.ts', 'ambient.d.ts', ...origin.keys()] }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const out = await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], {
      cwd: dir,
      timeout: 120_000,
    }).then(
      () => '',
      (err: { stdout: string }) => err.stdout,
    );
    // Point each error at the Markdown file and line it came from.
    const located = out.replace(
      /^([^(\n]+\.mts)\((\d+),(\d+)\)/gm,
      (m, name: string, l: string) => {
        const b = origin.get(resolve(dir, name));
        return b ? `${relative(root, b.file)}:${b.line + Number(l)}` : m;
      },
    );
    expect(located).toBe('');
  }, 150_000);
});
