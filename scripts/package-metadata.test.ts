import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkPackageMetadata,
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
