// Shared test helpers: hex, every back end's key for the same raw bytes, and error-code capture.
import { type CipherKey, createCipherKey } from '../src/index.js';

export const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export const BACKENDS = ['node', 'noble', 'webcrypto'] as const;

/** One key per back end, all for the same raw bytes. */
export function keysFor(raw: Uint8Array): Record<(typeof BACKENDS)[number], CipherKey> {
  return {
    node: createCipherKey(raw, { backend: 'node' }),
    noble: createCipherKey(raw, { backend: 'noble' }),
    webcrypto: createCipherKey(raw, { backend: 'webcrypto' }),
  };
}

/** The `code` of what `fn` throws or rejects with; fails the test when nothing is thrown. */
export async function codeOf(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return (err as { code?: unknown }).code ?? err;
  }
  throw new Error('expected an error, none was thrown');
}
