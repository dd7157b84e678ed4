// The Markdown files a user reads, for the documentation tests.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The Markdown files users read: root README, docs/, and every package, app and example README. */
export function markdownFiles(): string[] {
  const files = [join(root, 'README.md')];
  const docs = join(root, 'docs');
  if (existsSync(docs))
    for (const f of readdirSync(docs)) if (f.endsWith('.md')) files.push(join(docs, f));
  for (const dir of ['packages', 'apps', 'examples']) {
    const base = join(root, dir);
    if (!existsSync(base)) continue;
    if (existsSync(join(base, 'README.md'))) files.push(join(base, 'README.md'));
    for (const sub of readdirSync(base)) {
      const readme = join(base, sub, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  return files;
}
