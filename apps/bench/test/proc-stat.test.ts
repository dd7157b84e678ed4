import { describe, expect, it } from 'vitest';
import { otherLoad, parsePidStat, parseProcStat } from '../src/proc-stat.js';

const PROC_STAT = `cpu  1000 50 300 8000 100 10 20 5 0 0
cpu0 500 25 150 4000 50 5 10 2 0 0
intr 12345
`;

describe('parseProcStat', () => {
  it('counts user + nice + system as busy; idle, iowait, irq, softirq and steal only in total', () => {
    expect(parseProcStat(PROC_STAT)).toEqual({ busy: 1350, total: 9485 });
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

const ours = (entries: [number, number][]) => new Map(entries);

describe('otherLoad', () => {
  it('is machine busy time minus ours over total time', () => {
    const a = { cpu: { busy: 100, total: 1000 }, ours: ours([[1, 50]]) };
    const b = { cpu: { busy: 300, total: 1200 }, ours: ours([[1, 150]]) };
    expect(otherLoad(a, b)).toBeCloseTo(0.5);
  });

  it('clamps to 0..1', () => {
    const a = { cpu: { busy: 100, total: 1000 }, ours: ours([[1, 0]]) };
    expect(otherLoad(a, { cpu: { busy: 150, total: 1100 }, ours: ours([[1, 90]]) })).toBe(0);
  });

  it('calls an idle machine idle while our processes saturate it over loopback', () => {
    // 1 s on 2 cores at 100 Hz: our two processes use 90 + 80 jiffies, the kernel 25 of softirq
    // moving our loopback traffic; nothing else runs.
    const before = `cpu  10000 0 2000 50000 10 0 500 0 0 0\n`;
    const after = `cpu  10150 0 2020 50005 10 0 525 0 0 0\n`;
    const a = {
      cpu: parseProcStat(before),
      ours: ours([
        [1, 1000],
        [2, 500],
      ]),
    };
    const b = {
      cpu: parseProcStat(after),
      ours: ours([
        [1, 1090],
        [2, 580],
      ]),
    };
    expect(otherLoad(a, b)).toBe(0);
  });

  it('does not judge windows that are too short or lose one of our processes', () => {
    const a = {
      cpu: { busy: 100, total: 1000 },
      ours: ours([
        [1, 10],
        [2, 500],
      ]),
    };
    expect(
      otherLoad(a, {
        cpu: { busy: 110, total: 1010 },
        ours: ours([
          [1, 20],
          [2, 500],
        ]),
      }),
    ).toBe(-1);
    expect(otherLoad(a, a)).toBe(-1);
    // Process 2 exited: without it its 500 jiffies would have read as 100 % other load.
    expect(otherLoad(a, { cpu: { busy: 200, total: 1200 }, ours: ours([[1, 100]]) })).toBe(-1);
  });

  it('counts a process of ours that started during the window in full', () => {
    const a = { cpu: { busy: 100, total: 1000 }, ours: ours([[1, 10]]) };
    const b = {
      cpu: { busy: 300, total: 1200 },
      ours: ours([
        [1, 110],
        [3, 100],
      ]),
    };
    expect(otherLoad(a, b)).toBe(0);
  });
});
