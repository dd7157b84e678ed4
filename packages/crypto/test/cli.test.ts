// The keygen CLI: in-process for the logic, one real child process for the bin wiring.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli-main.js';
import { decodeKey } from '../src/index.js';

function run(args: string[]) {
  let out = '';
  let err = '';
  const code = runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('smartsocket-crypto CLI', () => {
  it('keygen prints one valid key and exits 0', () => {
    const { code, out, err } = run(['keygen']);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(decodeKey(out.trim()).length).toBe(32);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('prints usage and exits 1 for no or unknown commands', () => {
    for (const args of [[], ['nope'], ['keygen', 'extra']]) {
      const { code, out, err } = run(args);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toContain('keygen');
    }
    expect(run(['--help']).code).toBe(0);
  });

  it('runs as a process', () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const child = spawnSync(
      process.execPath,
      ['--conditions=@smartsocket/source', '--import', 'tsx', cli, 'keygen'],
      {
        encoding: 'utf8',
        timeout: 15_000,
      },
    );
    expect(child.status).toBe(0);
    expect(decodeKey(child.stdout.trim()).length).toBe(32);
  });

  it('runs through the bin named in package.json, built or not (no install warning either way)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const bin = fileURLToPath(new URL(`../${pkg.bin['smartsocket-crypto']}`, import.meta.url));
    expect(existsSync(bin)).toBe(true);
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const viaNpx = spawnSync('npx', ['--no-install', 'smartsocket-crypto', 'keygen'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(viaNpx.status).toBe(0);
    expect(decodeKey(viaNpx.stdout.trim()).length).toBe(32);
  });
});
