// Test helpers: hex in and out, and assertions on coded errors.
import { expect } from 'vitest';
import { type ErrorCode, isSmartSocketError, type SmartSocketError } from '../src/index.js';

/** Bytes from hex text; spaces and line breaks are ignored. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Lower-case hex of `bytes`, no separators. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Hex of UTF-8 text, for readable vectors. */
export function utf8Hex(text: string): string {
  return toHex(new TextEncoder().encode(text));
}

/** Runs `fn`, expecting a SmartSocketError with one of `codes`; returns it. */
export function expectCode(fn: () => unknown, ...codes: ErrorCode[]): SmartSocketError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, 'expected a throw').toBeDefined();
  if (!isSmartSocketError(thrown)) throw thrown;
  expect(codes).toContain(thrown.code);
  return thrown;
}

/** Calls `fn`; anything thrown must be a SmartSocketError with one of `codes`. */
export function onlyThrows(fn: () => unknown, ...codes: ErrorCode[]): void {
  try {
    fn();
  } catch (err) {
    if (!isSmartSocketError(err) || !codes.includes(err.code)) throw err;
  }
}
