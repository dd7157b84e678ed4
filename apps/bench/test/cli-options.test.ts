import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli-options.js';

describe('parseCli', () => {
  it('uses the full preset by default and the quick preset with --quick', () => {
    const full = parseCli([]);
    const quick = parseCli(['--', '--quick']);
    if (full.help || quick.help) throw new Error('unexpected help');
    expect(full.config).toMatchObject({ quick: false, reps: 5, memory: { conns: 5000 } });
    expect(quick.config).toMatchObject({ quick: true, reps: 1, repeatNoisy: false });
  });

  it('applies overrides', () => {
    const parsed = parseCli(['--reps', '3', '--impls', 'ws,socket.io', '--bcast-clients', '10']);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.config.reps).toBe(3);
    expect(parsed.config.impls).toEqual(['ws', 'socket.io']);
    expect(parsed.config.broadcast.clients).toBe(10);
  });

  it('leaves the idle scenario out of the default full run, runs it in quick runs and sizes it', () => {
    const full = parseCli([]);
    const quick = parseCli(['--quick']);
    const sized = parseCli(['--scenarios', 'idle', '--idle-conns', '19500', '--idle-loaders', '3']);
    if (full.help || quick.help || sized.help) throw new Error('unexpected help');
    expect(full.config.scenarios).not.toContain('idle');
    expect(full.config.idle).toEqual({ conns: 50_000, loaders: 4, concurrency: 200 });
    expect(quick.config.scenarios).toContain('idle');
    expect(quick.config.idle.conns).toBeLessThanOrEqual(500);
    expect(sized.config.scenarios).toEqual(['idle']);
    expect(sized.config.idle).toEqual({ conns: 19_500, loaders: 3, concurrency: 200 });
  });

  it('accepts --render without running', () => {
    const parsed = parseCli(['--render', 'saved.json', '--out', '/tmp/r']);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.render).toBe('saved.json');
    expect(parsed.config.outDir).toBe('/tmp/r');
  });

  it('names the bad option', () => {
    expect(() => parseCli(['--reps', '0'])).toThrow(/--reps/);
    expect(() => parseCli(['--impls', 'nope'])).toThrow(/--impls: unknown "nope"/);
    expect(() => parseCli(['--bogus'])).toThrow();
  });
});
