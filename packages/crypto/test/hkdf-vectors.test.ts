// Published HKDF-SHA256 vectors: RFC 5869, appendix A, test cases 1-3, through every back end
// (node:crypto hkdfSync, @noble/hashes, WebCrypto deriveBits), and derived keys agree across them.
import { describe, expect, it } from 'vitest';
import * as browser from '../src/index.browser.js';
import { hkdf, hkdfAsync } from '../src/index.js';
import { nobleHkdf } from '../src/noble-hkdf.js';
import { nodeHkdf } from '../src/node-hkdf.js';
import { webCryptoHkdf } from '../src/webcrypto-hkdf.js';
import { BACKENDS, codeOf, hex, keysFor, toHex } from './helpers.js';

const seq = (from: number, to: number) =>
  toHex(Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i));

const VECTORS = [
  {
    name: 'case 1',
    ikm: '0b'.repeat(22),
    salt: '000102030405060708090a0b0c',
    info: 'f0f1f2f3f4f5f6f7f8f9',
    length: 42,
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    name: 'case 2',
    ikm: seq(0x00, 0x4f),
    salt: seq(0x60, 0xaf),
    info: seq(0xb0, 0xff),
    length: 82,
    okm:
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09' +
      'da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
  },
  {
    name: 'case 3 (empty salt and info)',
    ikm: '0b'.repeat(22),
    salt: '',
    info: '',
    length: 42,
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
  },
];

describe('HKDF-SHA256, RFC 5869 test vectors', () => {
  describe.each(VECTORS)('$name', (v) => {
    const args = [hex(v.ikm), hex(v.salt), hex(v.info), v.length] as const;

    it('node:crypto', () => {
      expect(toHex(nodeHkdf(...args))).toBe(v.okm);
      expect(toHex(hkdf(...args, { backend: 'node' }))).toBe(v.okm);
    });

    it('noble', () => {
      expect(toHex(nobleHkdf(...args))).toBe(v.okm);
      expect(toHex(hkdf(...args, { backend: 'noble' }))).toBe(v.okm);
      expect(toHex(browser.hkdf(...args))).toBe(v.okm);
    });

    it('WebCrypto', async () => {
      expect(toHex(await webCryptoHkdf(...args))).toBe(v.okm);
      expect(toHex(await hkdfAsync(...args, { backend: 'webcrypto' }))).toBe(v.okm);
      expect(toHex(await browser.hkdfAsync(...args, { backend: 'webcrypto' }))).toBe(v.okm);
    });
  });

  it('checks its inputs: a bad length is ERR_CONFIG_001, a synchronous WebCrypto HKDF does not exist', async () => {
    const b = hex('00');
    expect(await codeOf(() => hkdf(b, b, b, 0))).toBe('ERR_CONFIG_001');
    expect(await codeOf(() => hkdf(b, b, b, 255 * 32 + 1))).toBe('ERR_CONFIG_001');
    expect(await codeOf(() => hkdf(b, b, b, 32, { backend: 'webcrypto' }))).toBe('ERR_CONFIG_001');
    expect(await codeOf(() => browser.hkdf(b, b, b, 32, { backend: 'node' }))).toBe(
      'ERR_CONFIG_001',
    );
    expect(() => hkdf('x' as never, b, b, 32)).toThrow(TypeError);
  });
});

describe('CipherKey.derive', () => {
  const raw = Uint8Array.from({ length: 32 }, (_, i) => i);
  const salt = hex('a1'.repeat(64));
  const info = new TextEncoder().encode('smartsocket v1 client to server');
  const aad = hex('0103400001');

  it('is HKDF-SHA256(key, salt, info, 32) and interoperates across every back end', async () => {
    const keys = keysFor(raw);
    const expected = keysFor(nodeHkdf(raw, salt, info, 32));
    for (const from of BACKENDS) {
      const derived = keys[from].derive(salt, info);
      expect(derived.backend).toBe(from);
      const sealed = derived.seal(hex('68656c6c6f'), aad);
      for (const to of BACKENDS) {
        expect(toHex(expected[to].open(sealed, aad))).toBe('68656c6c6f');
        expect(toHex(await expected[to].openAsync(sealed, aad))).toBe('68656c6c6f');
      }
    }
    const viaBrowser = browser.createCipherKey(raw, { backend: 'noble' }).derive(salt, info);
    expect(toHex(expected.node.open(viaBrowser.seal(hex('00'), aad), aad))).toBe('00');
  });

  it('checks its inputs like seal does: not bytes is a TypeError', () => {
    const key = keysFor(raw).node;
    expect(() => key.derive('salt' as never, info)).toThrow(TypeError);
    expect(() => key.sealWithNonce(hex('00'.repeat(11)), hex('00'), aad)).toThrow(TypeError);
  });

  it('other salt or info: another key', async () => {
    const key = keysFor(raw).node;
    const sealed = key.derive(salt, info).seal(hex('00'), aad);
    expect(await codeOf(() => key.derive(hex('a2'.repeat(64)), info).open(sealed, aad))).toBe(
      'ERR_MSG_003',
    );
    expect(await codeOf(() => key.derive(salt, hex('00')).open(sealed, aad))).toBe('ERR_MSG_003');
    expect(await codeOf(() => key.open(sealed, aad))).toBe('ERR_MSG_003');
  });
});
