// Every way an open can fail ends in ERR_MSG_003 and nothing else, on every back end, sync and async.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCipherKey, open, openAsync, SEAL_OVERHEAD } from '../src/index.js';
import { BACKENDS, codeOf, keysFor } from './helpers.js';

const raw = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const keys = keysFor(raw);
const otherKeys = keysFor(Uint8Array.from({ length: 32 }, (_, i) => i));
const aad = Uint8Array.of(1, 3, 0x40, 0, 1, 0x2f, 0, 2, 0x68, 0x69);
const plain = new TextEncoder().encode('{"amount":100,"to":"alice"}');

describe.each(BACKENDS)('open with %s', (backend) => {
  const key = keys[backend];
  const sealed = key.seal(plain, aad);
  const expectFailure = async (data: unknown, withKey = key, withAad: unknown = aad) => {
    expect(await codeOf(() => withKey.open(data as Uint8Array, withAad as Uint8Array))).toBe(
      'ERR_MSG_003',
    );
    expect(await codeOf(() => withKey.openAsync(data as Uint8Array, withAad as Uint8Array))).toBe(
      'ERR_MSG_003',
    );
  };

  it('rejects any single flipped bit (nonce, ciphertext or tag)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(sealed.length * 8 - 1), async (bit) => {
        const tampered = sealed.slice();
        tampered[bit >> 3] = (tampered[bit >> 3] as number) ^ (1 << (bit & 7));
        await expectFailure(tampered);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects a wrong key', async () => {
    await expectFailure(sealed, otherKeys[backend]);
  });

  it('rejects a wrong AAD (another event, flag or namespace byte)', async () => {
    const otherAad = aad.slice();
    otherAad[otherAad.length - 1] = 0x6f;
    await expectFailure(sealed, key, otherAad);
    await expectFailure(sealed, key, new Uint8Array(0));
  });

  it('rejects truncated and extended input', async () => {
    for (const n of [0, 1, 12, SEAL_OVERHEAD - 1, SEAL_OVERHEAD, sealed.length - 1])
      await expectFailure(sealed.subarray(0, n));
    const longer = new Uint8Array(sealed.length + 1);
    longer.set(sealed);
    await expectFailure(longer);
  });

  it('rejects input that is not bytes', async () => {
    await expectFailure(undefined);
    await expectFailure('not bytes');
    await expectFailure(sealed, key, null);
  });

  it('throws ERR_MSG_003 from the free functions too', async () => {
    expect(await codeOf(() => open(key, sealed.subarray(1), aad))).toBe('ERR_MSG_003');
    expect(await codeOf(() => openAsync(key, sealed.subarray(1), aad))).toBe('ERR_MSG_003');
  });
});

it('opens an empty sealed plaintext (exactly 28 bytes) when it authenticates', () => {
  const key = createCipherKey(raw);
  const sealed = key.seal(new Uint8Array(0), aad);
  expect(sealed.length).toBe(SEAL_OVERHEAD);
  expect(key.open(sealed, aad).length).toBe(0);
});

it('seal refuses inputs that are not bytes', () => {
  const key = createCipherKey(raw);
  expect(() => key.seal('text' as unknown as Uint8Array, aad)).toThrow(TypeError);
  expect(() => key.seal(plain, undefined as unknown as Uint8Array)).toThrow(TypeError);
});

it('accepts bytes from another realm and Buffers', async () => {
  const { runInNewContext } = await import('node:vm');
  const key = createCipherKey(raw);
  const sealed = key.seal(plain, aad);
  const foreign = runInNewContext('new Uint8Array(n)', { n: sealed.length }) as Uint8Array;
  foreign.set(sealed);
  expect(foreign instanceof Uint8Array).toBe(false);
  expect(key.open(foreign, Buffer.from(aad)).length).toBe(plain.length);
});
