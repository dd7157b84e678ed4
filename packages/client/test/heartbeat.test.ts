import { describe, expect, it } from 'vitest';
import { Heartbeat } from '../src/heartbeat.js';
import { ManualClock } from './helpers/manual-clock.js';

function setup(interval: number, timeout: number) {
  const clock = new ManualClock();
  const sent: Array<{ at: number; t: number; rtt?: number }> = [];
  let dead = 0;
  const hb = new Heartbeat({
    interval,
    timeout,
    timers: clock,
    send: (p) => sent.push({ at: clock.now(), ...p }),
    onDead: () => dead++,
  });
  return { clock, sent, hb, dead: () => dead };
}

describe('Heartbeat', () => {
  it('probes every interval while acks come back, and measures rtt', () => {
    const { clock, sent, hb, dead } = setup(1000, 300);
    hb.start();
    clock.advance(1000);
    expect(sent.map((s) => s.at)).toEqual([1000]);
    clock.advance(40);
    hb.acknowledge({ t: sent[0]!.t });
    expect(hb.rtt).toBe(40);
    clock.advance(1000);
    expect(sent.map((s) => s.at)).toEqual([1000, 2040]);
    expect(sent[1]!.rtt).toBe(40);
    expect(dead()).toBe(0);
  });

  it('retries every 2 s after a miss and declares death after 3 consecutive misses', () => {
    const { clock, sent, hb, dead } = setup(10_000, 500);
    hb.start();
    clock.advance(10_000 + 500 + 2000 + 500 + 2000 + 499);
    expect(sent.map((s) => s.at)).toEqual([10_000, 12_500, 15_000]);
    expect(dead()).toBe(0);
    clock.advance(1);
    expect(dead()).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('retries after the interval when it is shorter than 2 s, and an ack resets the count', () => {
    const { clock, sent, hb, dead } = setup(100, 50);
    hb.start();
    clock.advance(100 + 50 + 100 + 50); // two misses
    clock.advance(100); // third probe
    hb.acknowledge({ t: sent.at(-1)!.t });
    clock.advance(100 + 50 + 100 + 50 + 100 + 49);
    expect(dead()).toBe(0);
    clock.advance(1);
    expect(dead()).toBe(1);
  });

  it('ignores acks that do not match the probe in flight', () => {
    const { clock, hb, dead } = setup(100, 50);
    hb.start();
    clock.advance(100);
    hb.acknowledge({ t: -5 });
    hb.acknowledge('nonsense');
    clock.advance(50 + 100 + 50 + 100 + 50);
    expect(dead()).toBe(1);
  });

  it('stop() leaves no timer behind', () => {
    const { clock, hb } = setup(100, 50);
    hb.start();
    clock.advance(120);
    hb.stop();
    expect(clock.pending).toBe(0);
  });
});
