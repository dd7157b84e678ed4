// The documentation stands alone: no citations of documents outside the repository, no links that
// leave it, and one error-code table (docs/ERRORS.md) equal to ErrorCodes, linked from every package.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes } from '@smartsocket/protocol';
import { describe, expect, it } from 'vitest';
import { markdownFiles } from './support/markdown-files.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Tracked files (the repository as a clone has it). */
function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f !== '' && existsSync(join(root, f)));
}

describe('documentation that stands alone', () => {
  it('cites no spec, section sign or issue number, in docs or in source comments', () => {
    const citation = (line: string) => /\bSPEC\b|§/.test(line) || /\bissues? #?\d+/i.test(line);
    const offenders: string[] = [];
    for (const file of trackedFiles()) {
      if (!/\.(md|ts|mts|js|mjs|json|html|css)$/.test(file) || /CHANGELOG\.md$/.test(file))
        continue;
      if (file === 'test/docs-standalone.test.ts' || file === 'pnpm-lock.yaml') continue;
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (citation(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('links only to files inside the repository, and every linked file exists', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (target === '' || /^[a-z]+:/i.test(target)) continue;
        const path = resolve(dirname(file), target);
        const inside = !relative(root, path).startsWith('..');
        if (!inside || !existsSync(path)) broken.push(`${relative(root, file)} → ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('has one error-code table, equal to ErrorCodes, linked from every package README', () => {
    const table = readFileSync(join(root, 'docs', 'ERRORS.md'), 'utf8');
    const rows = [...table.matchAll(/^\| `(ERR_[A-Z]+_\d{3})`\s*\|[^|]*\|\s*\(?(\d{4})\)?\s*\|/gm)];
    expect(rows.map((r) => r[1]).sort()).toEqual(Object.keys(ErrorCodes).sort());
    for (const [, code, close] of rows)
      expect(Number(close), code).toBe(ErrorCodes[code as keyof typeof ErrorCodes].closeCode);
    for (const dir of readdirSync(join(root, 'packages'))) {
      const pkg = join(root, 'packages', dir, 'package.json');
      if (!existsSync(pkg) || JSON.parse(readFileSync(pkg, 'utf8')).private) continue;
      const readme = readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8');
      expect(readme, dir).toContain('../../docs/ERRORS.md');
    }
  });
});

/** The option names declared in `interface <name> { … }` of a TypeScript source. */
function optionNames(file: string, name: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const start = text.indexOf(`export interface ${name}`);
  const body = text.slice(start, text.indexOf('\n}', start));
  return [...body.matchAll(/^ {2}'?([\w-]+)'?\??:/gm)].map((m) => m[1]!);
}

describe('every option is documented where users look', () => {
  it.each([
    ['server', 'packages/server/src/server-options.ts', 'SmartSocketOptions'],
    ['client', 'packages/client/src/options.ts', 'ClientOptions'],
  ])('%s README names every option', (pkg, file, iface) => {
    const names = optionNames(file, iface);
    expect(names.length).toBeGreaterThan(10);
    const readme = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8');
    expect(names.filter((n) => !readme.includes(`\`${n}\``))).toEqual([]);
  });
});

describe('every event is documented where users look', () => {
  it.each([
    ['server', 'packages/server/src/namespace.ts', 'NamespaceReservedEvents<S>'],
    ['server', 'packages/server/src/smart-socket.ts', 'ServerReservedEvents<S>'],
    ['server', 'packages/server/src/socket.ts', 'SocketReservedEvents'],
    ['client', 'packages/client/src/typed-events.ts', 'ClientReservedEvents'],
  ])('%s README names every event of %s', (pkg, file, iface) => {
    const names = optionNames(file, iface);
    expect(names.length).toBeGreaterThan(0);
    const readme = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8');
    const named = (n: string) => readme.includes(`'${n}'`) || readme.includes(`\`${n}\``);
    expect(names.filter((n) => !named(n))).toEqual([]);
  });
});
