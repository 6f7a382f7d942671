/**
 * Every public export of every package entry has a doc comment, as TypeDoc sees it (the same run as
 * `pnpm docs`, without writing the HTML). The exports that had none when the check came in are listed
 * in api-docs-undocumented.txt: the list may only shrink. A new export without a comment fails, and so
 * does a listed one that has gained a comment (take it off the list).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApiDocs, REPOSITORY_ROOT } from './api-docs';

const BASELINE = join(REPOSITORY_ROOT, 'scripts/api-docs-undocumented.txt');
const listed = () =>
  readFileSync(BASELINE, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

describe('API reference', () => {
  it('documents every public export, except the shrinking list of older ones', async () => {
    const { undocumented, otherProblems, project } = await buildApiDocs(undefined);
    expect(project).toBeDefined();
    expect(otherProblems).toEqual([]);
    const baseline = new Set(listed());
    const found = new Set(undocumented);
    expect(
      undocumented.filter((entry) => !baseline.has(entry)),
      'public exports without a doc comment: add one (/** ... */ above the export)',
    ).toEqual([]);
    expect(
      [...baseline].filter((entry) => !found.has(entry)),
      'documented now or gone: remove these lines from scripts/api-docs-undocumented.txt',
    ).toEqual([]);
  }, 300_000);
});
