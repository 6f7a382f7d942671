/**
 * Every public export of every package entry has a doc comment, as TypeDoc sees it (the same run as
 * `pnpm docs`, without writing the HTML). There are no exceptions: a generated module gets its comment
 * from its generator (`memoryMigrations` from packages/memory/scripts/render-migrations-module.ts).
 */
import { describe, expect, it } from 'vitest';
import { buildApiDocs } from './api-docs';

describe('API reference', () => {
  it('documents every public export', async () => {
    const { undocumented, otherProblems, project } = await buildApiDocs(undefined);
    expect(project).toBeDefined();
    expect(otherProblems).toEqual([]);
    expect(
      undocumented,
      'public exports without a doc comment: add one (/** ... */ above the export)',
    ).toEqual([]);
  }, 300_000);
});
