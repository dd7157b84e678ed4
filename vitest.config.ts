// Root test runner: one vitest run over every package and app (`pnpm test`).
// With SMARTSOCKET_TEST_REPORT=<file> it also writes vitest's JSON report there (.ci/run reads it).
import { defineConfig } from 'vitest/config';

const report = process.env.SMARTSOCKET_TEST_REPORT;

export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      'examples',
      // Repository-level checks (the root README's quick start).
      { test: { name: 'repo', include: ['test/**/*.test.ts'], testTimeout: 20_000 } },
    ],
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
