// The browser entry: resolved by bundlers through the `browser` condition, free of node:crypto,
// and byte-compatible with the Node entry.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/index.browser.js';
import * as node from '../src/index.js';
import { codeOf, toHex } from './helpers.js';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));

async function bundle(platform: 'browser' | 'node'): Promise<string> {
  const result = await build({
    stdin: { contents: "export * from '@smartsocket/crypto';", resolveDir: pkgDir, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform,
    conditions: ['@smartsocket/source'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('browser entry', () => {
  it('an esbuild browser bundle resolves the browser entry and never imports node:crypto', async () => {
    const code = await bundle('browser');
    expect(code).not.toMatch(/node:crypto|createCipheriv/);
    expect(code).toContain('aes/gcm'); // noble's GCM is in
  });

  it('a Node bundle resolves the node:crypto entry', async () => {
    expect(await bundle('node')).toContain('createCipheriv');
  });

  it('exports the same API as the Node entry', () => {
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
  });

  it('defaults to WebCrypto where crypto.subtle exists and interoperates with node:crypto', async () => {
    const base64 = node.generateKey();
    const bKey = browser.parseKey(base64);
    const nKey = node.parseKey(base64);
    expect(bKey.backend).toBe('webcrypto');
    const aad = Uint8Array.of(9, 9);
    const plain = Uint8Array.of(1, 2, 3);
    expect(toHex(nKey.open(await bKey.sealAsync(plain, aad), aad))).toBe('010203');
    expect(toHex(await bKey.openAsync(nKey.seal(plain, aad), aad))).toBe('010203');
    expect(toHex(bKey.open(nKey.seal(plain, aad), aad))).toBe('010203');
  });

  it('refuses the node back end with ERR_CONFIG_001', async () => {
    expect(
      await codeOf(() => browser.createCipherKey(new Uint8Array(32), { backend: 'node' })),
    ).toBe('ERR_CONFIG_001');
  });
});
