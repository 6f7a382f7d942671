import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeBase } from '../knowledge-base';
import { DocumentLoadError } from './document-load-error';
import { loadFile, loadFolder, readFolder } from './folder-reader';
import { globMatcher } from './glob-pattern';
import { pdfBytes } from './testing/pdf-bytes';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'neptune-loaders-'));
  const files: Record<string, string | Uint8Array> = {
    'README.md': '# Handbook\n\nStart here.',
    'guides/refunds.md': '---\ncategory: billing\n---\n# Refunds\n\nRefunds take five days.',
    'guides/drafts/wip.md': '# Draft\n\nNot ready.',
    'guides/faq.txt': 'Questions and answers.',
    'site/webhooks.html':
      '<html><head><title>Webhooks</title></head><body><p>Sign every webhook.</p></body></html>',
    'handbook.pdf': await pdfBytes([['Page one text.'], ['Page two text.']]),
    'broken.pdf': 'this is not a pdf',
    'empty.md': '   \n',
    'image.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    '.hidden/secret.md': '# Secret',
    'node_modules/pkg/readme.md': '# Dependency',
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(folder, path, '..'), { recursive: true });
    await writeFile(join(folder, path), content);
  }
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('loadFolder', () => {
  it('reads every known format with stable relative ids, and reports the files it could not read', async () => {
    const result = await loadFolder(folder);
    expect(result.documents.map((document) => document.id)).toEqual([
      'README.md',
      'guides/drafts/wip.md',
      'guides/faq.txt',
      'guides/refunds.md',
      'handbook.pdf#page=1',
      'handbook.pdf#page=2',
      'site/webhooks.html',
    ]);
    expect(result.failures.map((failure) => failure.file)).toEqual(['broken.pdf', 'empty.md']);
    expect(result.failures.every((failure) => DocumentLoadError.isInstance(failure))).toBe(true);
    // The PNG has no loader and was not asked for: it is not counted.
    expect(result.files).toBe(8);
    // Reading again gives the same ids and texts: ingestion then sees nothing changed.
    const again = await loadFolder(folder);
    expect(again.documents).toEqual(result.documents);
  });

  it('applies include and exclude globs; hidden files and node_modules stay out', async () => {
    const markdown = await loadFolder(folder, { include: ['**/*.md'], exclude: ['drafts'] });
    expect(markdown.documents.map((document) => document.id)).toEqual(['README.md', 'guides/refunds.md']);
    const guides = await loadFolder(folder, {
      include: ['guides/**'],
      exclude: ['guides/drafts/**'],
      idPrefix: 'kb/',
    });
    expect(guides.documents.map((document) => document.id)).toEqual([
      'kb/guides/faq.txt',
      'kb/guides/refunds.md',
    ]);
    // An included file no loader knows is a failure to report, not something to skip quietly.
    const images = await loadFolder(folder, { include: ['*.png'] });
    expect(images.failures[0]!.reason).toMatch(/no loader/);
  });

  it('yields file by file, so a large folder never sits in memory at once', async () => {
    const files: string[] = [];
    for await (const entry of readFolder(folder, { include: ['*.pdf'] })) files.push(entry.file);
    expect(files).toEqual(['broken.pdf', 'handbook.pdf']);
  });

  it('ingests what it read; the same folder again embeds nothing', async () => {
    const knowledgeBase = createKnowledgeBase();
    const scope = { workspaceId: 'folder-test' };
    const { documents } = await loadFolder(folder);
    const first = await knowledgeBase.ingest(scope, documents);
    expect(first.added).toHaveLength(documents.length);
    const again = await knowledgeBase.ingest(scope, (await loadFolder(folder)).documents);
    expect(again.embeddingsComputed).toBe(0);
    expect(again.unchanged).toHaveLength(documents.length);
  });
});

describe('loadFile', () => {
  it('reads one file by its extension, with the id given', async () => {
    const [document] = await loadFile(join(folder, 'guides/refunds.md'), { id: 'uploads/42' });
    expect(document).toMatchObject({ id: 'uploads/42', title: 'Refunds', metadata: { category: 'billing' } });
  });

  it('names a missing or unreadable file and why', async () => {
    await expect(loadFile(join(folder, 'nope.md'), { id: 'nope.md' })).rejects.toSatisfy(
      (error) =>
        DocumentLoadError.isInstance(error) && error.code === 'not-found' && error.file === 'nope.md',
    );
    const locked = join(folder, 'locked.txt');
    await writeFile(locked, 'secret');
    await chmod(locked, 0o000);
    if (process.getuid?.() !== 0) await expect(loadFile(locked)).rejects.toThrow(/cannot be read/);
    await rm(locked);
  });
});

describe('globMatcher', () => {
  it('matches names at any depth, paths from the folder, ** across folders, braces and classes', () => {
    const matches = (patterns: string[], path: string) => globMatcher(patterns, 'include')(path);
    expect(matches(['*.md'], 'a/b/c.md')).toBe(true);
    expect(matches(['docs/*.md'], 'docs/a/c.md')).toBe(false);
    expect(matches(['docs/**/*.md'], 'docs/c.md')).toBe(true);
    expect(matches(['docs/**/*.md'], 'docs/a/b/c.md')).toBe(true);
    expect(matches(['*.{md,txt}'], 'notes.txt')).toBe(true);
    expect(matches(['file[0-9].txt'], 'file7.txt')).toBe(true);
    expect(matches(['file[!0-9].txt'], 'file7.txt')).toBe(false);
    expect(matches(['a.md'], 'a-md')).toBe(false);
    expect(() => globMatcher([''], 'exclude')).toThrow(/Invalid exclude/);
  });
});
