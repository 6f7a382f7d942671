import { describe, expect, it } from 'vitest';
import { DocumentLoadError } from './document-load-error';
import { firstHeading, loadJsonLines, loadMarkdown, loadText } from './text-loaders';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('loadMarkdown', () => {
  it('turns front matter into metadata and its title into the title', async () => {
    const [document] = await loadMarkdown({
      id: 'guides/refunds.md',
      content: bytes(
        '---\ntitle: Refunds\ncategory: billing\nlast-updated: 2024-05-01\ntags: [money, policy]\nsource: ignored\nowner: {team: support}\n---\n# Getting money back\n\nRefunds take five days.\n',
      ),
    });
    expect(document).toMatchObject({
      id: 'guides/refunds.md',
      title: 'Refunds',
      source: 'guides/refunds.md',
      format: 'markdown',
      metadata: {
        category: 'billing',
        last_updated: '2024-05-01',
        tags: ['money', 'policy'],
        owner: '{"team":"support"}',
      },
    });
    // Front matter is not text to search; a reserved key (`source`) never reaches the metadata.
    expect(document!.text.startsWith('# Getting money back')).toBe(true);
    expect(document!.metadata).not.toHaveProperty('source');
  });

  it('titles by the first H1 outside code, else by the file name', async () => {
    const [withHeading] = await loadMarkdown({
      id: 'a.md',
      content: '```\n# not a heading\n```\n\n# Real *title* #\n\ntext',
    });
    expect(withHeading!.title).toBe('Real title');
    const [withoutHeading] = await loadMarkdown({ id: 'notes/setup-guide.md', content: 'Just text.' });
    expect(withoutHeading!.title).toBe('setup-guide');
    expect(firstHeading('## only a second level')).toBeUndefined();
  });

  it('fails a file with broken front matter or no text, naming the file and the reason', async () => {
    const broken = loadMarkdown({ id: 'broken.md', content: '---\ntitle: [unclosed\n---\ntext' });
    await expect(broken).rejects.toSatisfy(
      (error) =>
        DocumentLoadError.isInstance(error) &&
        error.file === 'broken.md' &&
        /front matter/.test(error.reason),
    );
    const empty = loadMarkdown({ id: 'empty.md', content: '---\ntitle: Nothing\n---\n   \n' });
    await expect(empty).rejects.toThrow(/Cannot load empty\.md: .*empty/);
  });
});

describe('loadText and loadJsonLines', () => {
  it('reads UTF-8 text and refuses other bytes with the reason', async () => {
    const [document] = await loadText({ id: 'faq.txt', content: bytes('\uFEFFFAQ\n\nPlain words.') });
    expect(document).toMatchObject({
      id: 'faq.txt',
      title: 'FAQ',
      text: 'FAQ\n\nPlain words.',
      format: 'text',
    });
    const [long] = await loadText({ id: 'notes/long.txt', content: 'x'.repeat(81) });
    expect(long!.title).toBe('long');
    const latin1 = loadText({ id: 'old.txt', content: new Uint8Array([0x63, 0x61, 0x66, 0xe9]) });
    await expect(latin1).rejects.toThrow(/old\.txt: is not UTF-8 text/);
  });

  it('gives one document per JSON line with text, with ids from the record', async () => {
    const documents = await loadJsonLines({
      id: 'corpus.jsonl',
      content:
        '{"_id":"7","title":"Seven","text":"Seven is prime."}\n{"kind":"header"}\n\n{"text":"No id."}\n',
    });
    expect(documents.map((document) => document.id)).toEqual(['corpus.jsonl#7', 'corpus.jsonl#4']);
    await expect(loadJsonLines({ id: 'bad.jsonl', content: '{"text": ' })).rejects.toThrow(/bad\.jsonl/);
  });
});
