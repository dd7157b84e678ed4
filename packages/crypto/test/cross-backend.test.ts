// Byte compatibility: whatever one back end seals, every other opens (sync and async paths).
import { describe, expect, it } from 'vitest';
import { generateKey, NONCE_LENGTH, parseKey, SEAL_OVERHEAD } from '../src/index.js';
import { BACKENDS, keysFor, toHex } from './helpers.js';

const raw = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
const keys = keysFor(raw);
const aad = Uint8Array.of(1, 3, 0, 0, 1, 0x2f, 0, 4, 0x63, 0x68, 0x61, 0x74);
const sizes = [0, 1, 15, 16, 17, 1024, 16 * 1024 + 3];
const payload = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 5) & 0xff);

const pairs = BACKENDS.flatMap((from) => BACKENDS.map((to) => [from, to] as const));

describe('cross-implementation', () => {
  it.each(pairs)('%s seals, %s opens', async (from, to) => {
    for (const n of sizes) {
      const plain = payload(n);
      const sealedSync = keys[from].seal(plain, aad);
      const sealedAsync = await keys[from].sealAsync(plain, aad);
      for (const sealed of [sealedSync, sealedAsync]) {
        expect(sealed.length).toBe(n + SEAL_OVERHEAD);
        expect(toHex(keys[to].open(sealed, aad))).toBe(toHex(plain));
        expect(toHex(await keys[to].openAsync(sealed, aad))).toBe(toHex(plain));
      }
    }
  });

  it('the ciphertext does not contain the plaintext', () => {
    const plain = new TextEncoder().encode('{"secret":"attack at dawn","pad":"xxxxxxxxxxxxxxxx"}');
    for (const backend of BACKENDS) {
      const sealed = Buffer.from(keys[backend].seal(plain, aad));
      expect(sealed.includes(Buffer.from('attack at dawn'))).toBe(false);
    }
  });

  it('uses a fresh nonce for every message', async () => {
    const key = parseKey(generateKey());
    const seen = new Set<string>();
    const plain = payload(8);
    for (let i = 0; i < 2000; i++) seen.add(toHex(key.seal(plain, aad).subarray(0, NONCE_LENGTH)));
    for (let i = 0; i < 200; i++)
      seen.add(toHex((await keys.webcrypto.sealAsync(plain, aad)).subarray(0, NONCE_LENGTH)));
    expect(seen.size).toBe(2200);
  });

  it('seals identical plaintexts to different bytes', () => {
    for (const backend of BACKENDS) {
      const plain = payload(32);
      expect(toHex(keys[backend].seal(plain, aad))).not.toBe(toHex(keys[backend].seal(plain, aad)));
    }
  });

  it('does not alter its inputs', () => {
    const plain = payload(64);
    const before = toHex(plain);
    for (const backend of BACKENDS) keys[backend].open(keys[backend].seal(plain, aad), aad);
    expect(toHex(plain)).toBe(before);
  });
});
