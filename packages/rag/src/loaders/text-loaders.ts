import { parseFrontMatter } from './front-matter';
import { checkedDocuments, type DocumentLoader, fileTitle, loading, textOf } from './loader-input';

/** The first `# Heading` outside fenced code, with trailing `#`s and emphasis marks removed. */
export function firstHeading(markdown: string): string | undefined {
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s{0,3}(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const heading = /^ {0,3}#[ \t]+(.+?)[ \t#]*$/.exec(line)?.[1];
    if (heading) return heading.replace(/[*_`]/g, '').trim() || undefined;
  }
  return undefined;
}

/**
 * Markdown: YAML front matter to metadata (its `title` to the title), else the first `# Heading` is the
 * title, else the file name. The document is `format: 'markdown'`, so it is chunked along its headings.
 */
export const loadMarkdown: DocumentLoader = (input) =>
  loading(input.id, 'Markdown file', async () => {
    const { body, title, metadata } = await parseFrontMatter(input.id, textOf(input));
    return checkedDocuments(input.id, [
      {
        id: input.id,
        text: body,
        title: title ?? firstHeading(body) ?? fileTitle(input.id),
        source: input.source ?? input.id,
        metadata: { ...metadata, ...input.metadata },
        format: 'markdown',
      },
    ]);
  });

/** A text file's first line when it is short enough to be a title (80 characters), else undefined. */
function firstLineTitle(text: string): string | undefined {
  const line = text.trim().split('\n')[0]?.trim();
  return line && line.length <= 80 ? line : undefined;
}

/** Plain text: the whole file is the document, titled by its first line when short, else its file name. */
export const loadText: DocumentLoader = (input) =>
  loading(input.id, 'text file', async () => {
    const text = textOf(input);
    return checkedDocuments(input.id, [
      {
        id: input.id,
        text,
        title: firstLineTitle(text) ?? fileTitle(input.id),
        source: input.source ?? input.id,
        metadata: input.metadata,
        format: 'text',
      },
    ]);
  });

/**
 * JSON Lines: one document per line, `{ "id", "title", "text" }` (BEIR's `_id` works too), with id
 * `file#id` (or `file#lineNumber`). Lines without text are skipped: such files hold all sorts of records.
 */
export const loadJsonLines: DocumentLoader = (input) =>
  loading(input.id, 'JSON Lines file', async () => {
    const documents = textOf(input)
      .split('\n')
      .flatMap((line, index) => {
        if (line.trim() === '') return [];
        const record = JSON.parse(line) as Record<string, unknown>;
        if (typeof record.text !== 'string' || record.text.trim() === '') return [];
        const key = record.id ?? record._id ?? index + 1;
        return [
          {
            id: `${input.id}#${String(key)}`,
            text: record.text,
            title: typeof record.title === 'string' ? record.title : undefined,
            source: input.source ?? input.id,
            metadata: input.metadata,
          },
        ];
      });
    return checkedDocuments(input.id, documents);
  });
