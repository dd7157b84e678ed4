// KeyRing: current key first, retired keys accepted until their grace period ends (injected clock).
import { beforeEach, describe, expect, it } from 'vitest';
import { generateKey, KeyRing, parseKey } from '../src/index.js';
import { codeOf } from './helpers.js';

const aad = Uint8Array.of(1, 3, 0x40);
const plain = Uint8Array.of(1, 2, 3, 4);

describe('KeyRing', () => {
  let now = 0;
  const clock = () => now;
  const oldKey = parseKey(generateKey());
  const newKey = parseKey(generateKey());
  const newerKey = parseKey(generateKey());
  beforeEach(() => {
    now = 1_000;
  });

  it('opens with the current key and reports which key worked', () => {
    const ring = new KeyRing(oldKey, { now: clock });
    const { plaintext, key } = ring.open(oldKey.seal(plain, aad), aad);
    expect([...plaintext]).toEqual([...plain]);
    expect(key).toBe(oldKey);
  });

  it('after rotate, new sessions use the new key and the old one works until the grace ends', async () => {
    const ring = new KeyRing(oldKey, { now: clock });
    ring.rotate(newKey, 5_000);
    expect(ring.current).toBe(newKey);
    expect(ring.keys()).toEqual([newKey, oldKey]);
    expect(ring.open(newKey.seal(plain, aad), aad).key).toBe(newKey);
    expect(ring.open(oldKey.seal(plain, aad), aad).key).toBe(oldKey);
    expect(ring.accepts(oldKey)).toBe(true);
    expect(ring.nextExpiry()).toBe(6_000);

    now = 5_999;
    expect(ring.accepts(oldKey)).toBe(true);
    now = 6_000;
    expect(ring.accepts(oldKey)).toBe(false);
    expect(ring.nextExpiry()).toBeUndefined();
    expect(await codeOf(() => ring.open(oldKey.seal(plain, aad), aad))).toBe('ERR_MSG_003');
    expect(ring.prune()).toEqual([oldKey]);
    expect(ring.prune()).toEqual([]);
  });

  it('a zero grace period drops the old key at once', async () => {
    const ring = new KeyRing(oldKey, { now: clock });
    ring.rotate(newKey, 0);
    expect(ring.keys()).toEqual([newKey]);
    expect(await codeOf(() => ring.open(oldKey.seal(plain, aad), aad))).toBe('ERR_MSG_003');
  });

  it('a second rotation never extends an older key beyond its first deadline', () => {
    const ring = new KeyRing(oldKey, { now: clock });
    ring.rotate(newKey, 10_000); // oldKey until 11_000
    now = 2_000;
    ring.rotate(newerKey, 60_000); // newKey until 62_000, oldKey still until 11_000
    expect(ring.keys()).toEqual([newerKey, newKey, oldKey]);
    now = 11_000;
    expect(ring.keys()).toEqual([newerKey, newKey]);
    now = 62_000;
    expect(ring.keys()).toEqual([newerKey]);
  });

  it('rotating back to a retired key makes it current again, not retired', () => {
    const ring = new KeyRing(oldKey, { now: clock });
    ring.rotate(newKey, 10_000);
    ring.rotate(oldKey, 10_000);
    expect(ring.keys()).toEqual([oldKey, newKey]);
  });

  it('rejects a negative or non-finite grace period with ERR_CONFIG_001', async () => {
    const ring = new KeyRing(oldKey, { now: clock });
    expect(await codeOf(() => ring.rotate(newKey, -1))).toBe('ERR_CONFIG_001');
    expect(await codeOf(() => ring.rotate(newKey, Number.NaN))).toBe('ERR_CONFIG_001');
    expect(ring.current).toBe(oldKey);
  });

  it('uses Date.now by default', () => {
    const ring = new KeyRing(oldKey);
    ring.rotate(newKey, 60_000);
    expect(ring.nextExpiry()).toBeGreaterThan(Date.now());
  });
});
