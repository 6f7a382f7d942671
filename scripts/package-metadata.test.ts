import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkPackageMetadata,
  checkPeerRanges,
  checkReadmeLinks,
  expectedMetadata,
  type PackageMetadata,
  REPOSITORY_URL,
} from './package-metadata';

const ROOT = resolve(import.meta.dirname, '..');
const PACKAGES = readdirSync(join(ROOT, 'packages')).map((entry) => `packages/${entry}`);
const manifestOf = (directory: string) =>
  JSON.parse(readFileSync(join(ROOT, directory, 'package.json'), 'utf8')) as PackageMetadata;

describe('published package metadata', () => {
  it.each(PACKAGES)('%s names its repository, homepage, bugs and ships LICENSE', (directory) => {
    expect(checkPackageMetadata(directory, manifestOf(directory))).toEqual([]);
    expect(readFileSync(join(ROOT, directory, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'LICENSE'), 'utf8'),
    );
  });

  it.each(PACKAGES)('%s/README.md links only to absolute URLs of files that exist', (directory) => {
    expect(checkReadmeLinks(join(ROOT, directory, 'README.md'), ROOT)).toEqual([]);
  });

  it.each(PACKAGES)(
    '%s: zod a peer at the one minimum, vitest before 5, every peer range bounded',
    (directory) => {
      expect(checkPeerRanges(directory, manifestOf(directory), manifestOf('.').devDependencies)).toEqual([]);
    },
  );

  it('reports zod as a dependency, an open-ended peer range, a vitest that needs Node 22', () => {
    expect(
      checkPeerRanges('packages/x', {
        dependencies: { zod: '^4.6.7' },
        peerDependencies: { vitest: '>=3.0.0', ioredis: '>=5.3.0', openai: '^6.0.0' },
        devDependencies: { vitest: '^4.1.12', ioredis: '^5.9.2' },
      }),
    ).toEqual([
      expect.stringContaining('zod is a dependency'),
      expect.stringContaining('peerDependencies["vitest"] is ">=3.0.0"; expected "^3.0.0 || ^4.0.0"'),
      expect.stringContaining('peerDependencies["ioredis"] is ">=5.3.0", which has no upper bound'),
      expect.stringContaining('the peer openai is not also a devDependency'),
    ]);
  });

  it('reports missing fields, a LICENSE left out of files, and a wrong repository directory', () => {
    const complete = { ...expectedMetadata('packages/cache'), files: ['LICENSE', 'dist'] };
    expect(checkPackageMetadata('packages/cache', complete)).toEqual([]);
    expect(
      checkPackageMetadata('packages/cache', {
        ...complete,
        repository: { ...complete.repository, directory: 'packages/core' },
        homepage: undefined,
        files: ['dist'],
      }),
    ).toEqual([
      expect.stringContaining('"repository" is'),
      expect.stringContaining('"homepage" is undefined'),
      expect.stringContaining('"files" does not name LICENSE'),
    ]);
  });

  it('reports a relative link and an absolute link to a file that does not exist', () => {
    const root = mkdtempSync(join(tmpdir(), 'neptune-readme-links-'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs/rag.md'), '# RAG\n');
    writeFileSync(
      join(root, 'README.md'),
      [
        `[guide](${REPOSITORY_URL}/blob/main/docs/rag.md) [anchor](#use-it)`,
        '[relative](../../docs/rag.md)',
        `[gone](${REPOSITORY_URL}/blob/main/docs/gone.md#top)`,
        '[npm](https://www.npmjs.com/package/zod)',
      ].join('\n'),
    );
    expect(checkReadmeLinks(join(root, 'README.md'), root)).toEqual([
      expect.stringContaining('the link ../../docs/rag.md is relative'),
      expect.stringContaining('names docs/gone.md, which does not exist'),
    ]);
  });
});
