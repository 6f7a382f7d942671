import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import `@neptune/*` from source through the `@neptune/source` export condition, so no build is
// needed before `vitest run` and a change in one package is seen by the others at once.
const conditions = ['@neptune/source', 'node', 'development|production'];

export default defineConfig({
  resolve: {
    conditions,
    // The Next.js example's `@/` path alias (its tsconfig.json), for its route tests that run in-process.
    alias: [{ find: /^@\/(.*)$/, replacement: fileURLToPath(new URL('./examples/nextjs-assistant/$1', import.meta.url)) }],
  },
  ssr: { resolve: { conditions, externalConditions: ['@neptune/source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/src/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'bench/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', '**/.next/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
