import { describe, expect, it } from 'vitest';
import { otherLoad, parsePidStat, parseProcStat } from '../src/proc-stat.js';

const PROC_STAT = `cpu  1000 50 300 8000 100 10 20 5 0 0
cpu0 500 25 150 4000 50 5 10 2 0 0
intr 12345
`;

describe('parseProcStat', () => {
  it('sums busy fields and excludes idle and iowait', () => {
    expect(parseProcStat(PROC_STAT)).toEqual({ busy: 1385, total: 9485 });
  });

  it('rejects text without an aggregate cpu line', () => {
    expect(() => parseProcStat('intr 1\n')).toThrow(/cpu line/);
  });
});

describe('parsePidStat', () => {
  it('reads utime + stime even when the name holds spaces and parens', () => {
    const fields = ['S', '1', '2', '3', '0', '-1', '4194304', '10', '0', '0', '0', '70', '30'];
    expect(parsePidStat(`4242 (node (bench) x) ${fields.join(' ')} 0 0 20 0 1`)).toBe(100);
  });
});

describe('otherLoad', () => {
  it('is machine busy time minus ours over total time', () => {
    const a = { cpu: { busy: 100, total: 1000 }, ours: 50 };
    const b = { cpu: { busy: 300, total: 1200 }, ours: 150 };
    expect(otherLoad(a, b)).toBeCloseTo(0.5);
  });

  it('clamps to 0..1 and survives a zero interval', () => {
    const a = { cpu: { busy: 100, total: 1000 }, ours: 0 };
    expect(otherLoad(a, { cpu: { busy: 150, total: 1100 }, ours: 90 })).toBe(0);
    expect(otherLoad(a, a)).toBe(0);
  });
});
