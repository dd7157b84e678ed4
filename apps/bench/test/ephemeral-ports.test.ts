// Ephemeral ports per source address: the range read from /proc and the shortage explanation.
import { describe, expect, it } from 'vitest';
import { localPortRange, portShortage } from '../src/ephemeral-ports.js';
import { freshSourceAddresses, loaderSourceAddress } from '../src/scenarios/idle.js';

describe('ephemeral ports', () => {
  it('reads a plausible range', () => {
    const [low, high] = localPortRange();
    expect(low).toBeGreaterThan(0);
    expect(high).toBeGreaterThan(low);
    expect(high).toBeLessThanOrEqual(65_535);
  });

  it('accepts a share that fits and says how many loaders it takes otherwise', () => {
    const range = [32768, 60999] as const;
    expect(portShortage(12_500, 4, range)).toBeUndefined();
    const message = portShortage(50_000, 1, range);
    expect(message).toContain('32768-60999');
    expect(message).toContain('--idle-loaders 2');
  });

  it('gives every loader its own loopback source address', () => {
    expect([0, 1, 3].map(loaderSourceAddress)).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.5']);
    expect(() => loaderSourceAddress(253)).toThrow();
  });

  it('gives every trial fresh addresses (the previous ports are in TIME_WAIT), wrapping at .254', () => {
    const seen = new Set<string>();
    for (let trial = 0; trial < 63; trial++) {
      const address = freshSourceAddresses(4);
      for (let i = 0; i < 4; i++) seen.add(address(i));
    }
    expect(seen.size).toBe(252);
    expect(seen.has('127.0.0.253')).toBe(true);
    // The 64th trial does not fit after .253 and starts again at .2.
    expect(freshSourceAddresses(4)(0)).toBe('127.0.0.2');
  });
});
