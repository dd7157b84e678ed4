// The page's own files: nothing drawn with emoji (they need an emoji font the device may lack),
// and nothing loaded from another site (no CDN, web font or remote image).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../public/', import.meta.url));
const files = readdirSync(dir).map((name) => ({ name, text: readFileSync(dir + name, 'utf8') }));

describe('quiz page files', () => {
  it('use no emoji: medals, shapes and icons are SVG', () => {
    const emoji = /[\u{1F000}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B50}]|\u{FE0F}/u;
    expect(files.filter((f) => emoji.test(f.text)).map((f) => f.name)).toEqual([]);
  });

  it('reference no other site (the SVG namespace is a name, not a fetch)', () => {
    const remote = /\b(?:https?:)?\/\/(?!www\.w3\.org\/2000\/svg)[a-z0-9.-]+\.[a-z]{2,}/gi;
    const found = files.flatMap((f) => (f.text.match(remote) ?? []).map((m) => `${f.name}: ${m}`));
    expect(found).toEqual([]);
  });
});
