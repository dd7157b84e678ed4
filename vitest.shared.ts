// Shared vitest settings: every workspace package resolves to its TypeScript source,
// so tests and type checks never need a prior build.
import { fileURLToPath } from 'node:url';
import type { UserWorkspaceConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Aliases `@smartsocket/<pkg>` (and subpaths) to `packages/<pkg>/src`. */
export const sourceAliases = [
  {
    find: /^@smartsocket\/(protocol|crypto|logger|server|client|redis-adapter)$/,
    replacement: `${root}packages/$1/src/index.ts`,
  },
  {
    find: /^@smartsocket\/server\/cluster$/,
    replacement: `${root}packages/server/src/node-cluster.ts`,
  },
];

export function sharedProject(
  name: string,
  extra: UserWorkspaceConfig['test'] = {},
): UserWorkspaceConfig {
  return {
    resolve: { alias: sourceAliases },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
      testTimeout: 20_000,
      hookTimeout: 20_000,
      ...extra,
    },
  };
}
