import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The test files that take longest (30-190 s each; measured with `vitest run --reporter=json`), started
 * first. Without timings from an earlier run (a fresh clone, so CI) vitest starts the largest files first,
 * and these are small: pack-install, started last, kept one worker busy for two minutes after the rest.
 */
const LONGEST_FIRST = [
  'scripts/pack-install.test.ts',
  'packages/rag/src/cli/eval-store.integration.test.ts',
  'scripts/api-docs.test.ts',
  'packages/assistant/test/faults.integration.test.ts',
  'packages/memory/src/drizzle/migrate.test.ts',
  'packages/rag/src/cli/run-eval-cli.test.ts',
  'examples/nextjs-assistant/test/chat.e2e.test.ts',
];
for (const file of LONGEST_FIRST) {
  if (!existsSync(fileURLToPath(new URL(file, import.meta.url)))) {
    throw new Error(`vitest.config.ts: LONGEST_FIRST names ${file}, which does not exist; update the list.`);
  }
}

class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FIRST.findIndex((name) => file.moduleId.endsWith(`/${name}`));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // Stable: the rest keep vitest's own order (failed first, then longest, then largest).
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

// Tests import `@neptune/*` from source through the `@neptune/source` export condition, so no build is
// needed before `vitest run` and a change in one package is seen by the others at once.
const conditions = ['@neptune/source', 'node', 'development|production'];

export default defineConfig({
  resolve: {
    conditions,
    // The Next.js example's `@/` path alias (its tsconfig.json), for its route tests that run in-process.
    alias: [
      {
        find: /^@\/(.*)$/,
        replacement: fileURLToPath(new URL('./examples/nextjs-assistant/$1', import.meta.url)),
      },
    ],
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
    sequence: { sequencer: LongestFirstSequencer },
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
