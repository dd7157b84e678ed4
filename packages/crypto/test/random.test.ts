// The nonce pool: every nonce distinct, and a nonce already handed out never changes on refill.
import { expect, it } from 'vitest';
import { randomNonce } from '../src/random.js';
import { toHex } from './helpers.js';

it('hands out distinct nonces across refills and never rewrites one already handed out', () => {
  const first = randomNonce(12);
  const firstCopy = toHex(first);
  const seen = new Set([firstCopy]);
  for (let i = 0; i < 3 * 512; i++) seen.add(toHex(randomNonce(12)));
  expect(seen.size).toBe(3 * 512 + 1);
  expect(toHex(first)).toBe(firstCopy);
  expect(first.length).toBe(12);
});
