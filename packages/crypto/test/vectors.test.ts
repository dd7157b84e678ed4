// Published AES-256-GCM vectors: McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)",
// test cases 13-16 (the 256-bit-key cases, with and without AAD), through every back end.
import { describe, expect, it } from 'vitest';
import { createNobleAead } from '../src/noble-aead.js';
import { createNodeAead } from '../src/node-aead.js';
import { createWebCryptoAead } from '../src/webcrypto-aead.js';
import { BACKENDS, hex, keysFor, toHex } from './helpers.js';

const K15 = 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308';
const IV15 = 'cafebabefacedbaddecaf888';
const P15 =
  'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const C15 =
  '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad';

const VECTORS = [
  {
    name: 'case 13',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    p: '',
    a: '',
    c: '',
    t: '530f8afbc74536b9a963b4f1c4cb738b',
  },
  {
    name: 'case 14',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    p: '00'.repeat(16),
    a: '',
    c: 'cea7403d4d606b6e074ec5d3baf39d18',
    t: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  {
    name: 'case 15',
    key: K15,
    iv: IV15,
    p: P15,
    a: '',
    c: C15,
    t: 'b094dac5d93471bdec1a502270e3cc6c',
  },
  {
    name: 'case 16 (with AAD)',
    key: K15,
    iv: IV15,
    p: P15.slice(0, 120),
    a: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    c: C15.slice(0, 120),
    t: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
];

describe.each(VECTORS)('GCM spec $name', (v) => {
  const sealed = `${v.iv}${v.c}${v.t}`;

  it('node:crypto and noble seal to the published bytes', () => {
    for (const aead of [createNodeAead(hex(v.key)), createNobleAead(hex(v.key))])
      expect(toHex(aead.seal(hex(v.iv), hex(v.p), hex(v.a)))).toBe(sealed);
  });

  it('WebCrypto seals to the published bytes', async () => {
    const aead = createWebCryptoAead(hex(v.key));
    expect(toHex(await aead.seal(hex(v.iv), hex(v.p), hex(v.a)))).toBe(sealed);
  });

  it.each(BACKENDS)('%s opens the published bytes, sync and async', async (backend) => {
    const key = keysFor(hex(v.key))[backend];
    expect(toHex(key.open(hex(sealed), hex(v.a)))).toBe(v.p);
    expect(toHex(await key.openAsync(hex(sealed), hex(v.a)))).toBe(v.p);
  });
});
