// Key parsing and generation: base64 of exactly 32 bytes, ERR_CONFIG_001 naming the option otherwise.
import { describe, expect, it } from 'vitest';
import { CipherKey, createCipherKey, decodeKey, generateKey, parseKey } from '../src/index.js';
import { codeOf } from './helpers.js';

const valid = Buffer.alloc(32, 7).toString('base64');

describe('parseKey', () => {
  it('accepts base64 of exactly 32 bytes, padded or not, with surrounding whitespace', () => {
    expect(Buffer.from(decodeKey(valid)).equals(Buffer.alloc(32, 7))).toBe(true);
    expect(decodeKey(valid.slice(0, 43)).length).toBe(32);
    expect(decodeKey(` ${valid}\n`).length).toBe(32);
    expect(parseKey(valid)).toBeInstanceOf(CipherKey);
    expect(parseKey(valid).backend).toBe('node');
  });

  it.each([
    ['a 31-byte key', Buffer.alloc(31, 1).toString('base64')],
    ['a 33-byte key', Buffer.alloc(33, 1).toString('base64')],
    ['a 16-byte key', Buffer.alloc(16, 1).toString('base64')],
    ['hex', Buffer.alloc(32, 1).toString('hex')],
    ['base64url', `${'_'.repeat(43)}=`],
    ['characters outside base64', `${'A'.repeat(42)}!=`],
    ['a non-canonical last character', `${'A'.repeat(42)}B=`],
    ['the empty string', ''],
    ['undefined (ENCRYPTION_KEY unset)', undefined],
    ['a number', 42],
    ['raw bytes', new Uint8Array(32)],
  ])('rejects %s with ERR_CONFIG_001 naming the option', async (_name, value) => {
    expect(await codeOf(() => parseKey(value, 'encryptionKey'))).toBe('ERR_CONFIG_001');
    expect(() => parseKey(value, 'myKeyOption')).toThrow(/myKeyOption/);
  });

  it('never echoes the rejected value', () => {
    const secretish = `${'S3cr3t'.repeat(7)}x`;
    expect(() => parseKey(secretish)).toThrow(/encryptionKey/);
    try {
      parseKey(secretish);
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('S3cr3t');
    }
  });

  it('passes a CipherKey through unchanged', () => {
    const key = parseKey(valid);
    expect(parseKey(key)).toBe(key);
  });

  it('selects a back end by name and rejects unknown ones with ERR_CONFIG_001', async () => {
    expect(parseKey(valid, 'encryptionKey', { backend: 'noble' }).backend).toBe('noble');
    expect(
      await codeOf(() => parseKey(valid, 'encryptionKey', { backend: 'rot13' as 'noble' })),
    ).toBe('ERR_CONFIG_001');
  });
});

describe('createCipherKey', () => {
  it.each([0, 16, 31, 33, 64])('rejects %i bytes with ERR_CONFIG_001', async (n) => {
    expect(await codeOf(() => createCipherKey(new Uint8Array(n)))).toBe('ERR_CONFIG_001');
  });

  it('keeps key material out of JSON and strings', () => {
    const key = parseKey(valid);
    expect(JSON.stringify({ key })).toBe('{"key":"[CipherKey node]"}');
    expect(String(key)).not.toContain(valid.slice(0, 8));
  });

  it('copies the raw bytes: later changes to the caller buffer do not change the key', () => {
    const raw = new Uint8Array(32).fill(9);
    const aad = new Uint8Array(0);
    for (const backend of ['node', 'noble', 'webcrypto'] as const) {
      const bytes = raw.slice();
      const key = createCipherKey(bytes, { backend });
      const sealed = key.seal(Uint8Array.of(1, 2, 3), aad);
      bytes.fill(0);
      expect([...key.open(sealed, aad)]).toEqual([1, 2, 3]);
    }
  });
});

describe('generateKey', () => {
  it('returns distinct base64 keys that parseKey accepts', () => {
    const a = generateKey();
    const b = generateKey();
    expect(a).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(decodeKey(a).length).toBe(32);
  });
});
