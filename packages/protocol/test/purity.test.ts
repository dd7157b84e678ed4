// Keeps the package pure (it must run unchanged in browsers): no node: imports, no Buffer, no timers, no process in src.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const srcDir = new URL('../src/', import.meta.url);
const files = readdirSync(srcDir).filter((f) => f.endsWith('.ts'));

/** Source without comments, so prose may still mention Buffer or timers. */
function code(file: string): string {
  return readFileSync(new URL(file, srcDir), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const forbidden: Array<[string, RegExp]> = [
  ['node: import', /from\s+['"]node:|import\(\s*['"]node:|require\(/],
  [
    'bare Node built-in import',
    /from\s+['"](fs|path|buffer|crypto|zlib|events|util|stream|net|http|os)['"]/,
  ],
  ['Buffer', /\bBuffer\b/],
  ['timer', /\b(setTimeout|setInterval|setImmediate|queueMicrotask|clearTimeout|clearInterval)\b/],
  ['process', /\bprocess\./],
];

describe('package purity', () => {
  it('finds the source files', () => {
    expect(files).toContain('frame-decoder.ts');
    expect(files.length).toBeGreaterThan(8);
  });

  for (const file of files) {
    it(file, () => {
      const text = code(file);
      for (const [what, pattern] of forbidden)
        expect(text, `${file}: ${what}`).not.toMatch(pattern);
    });
  }
});
