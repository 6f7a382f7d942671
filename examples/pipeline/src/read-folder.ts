import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import type { SourceDocument } from '@neptune/rag';

/** What `readDocumentsFromFolder` turns into documents; everything else in the folder is skipped. */
export const DOCUMENT_EXTENSIONS = ['.md', '.txt', '.jsonl'] as const;

/** Hidden files and folders (`.git`) and `node_modules` are not documents. */
const skipped = (path: string) =>
  path.split(sep).some((part) => part.startsWith('.') || part === 'node_modules');

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter(
      (entry) => entry.isFile() && (DOCUMENT_EXTENSIONS as readonly string[]).includes(extname(entry.name)),
    )
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !skipped(relative(folder, path)))
    .sort();
}

/** A markdown file's first `# Heading`, a text file's first line when short, else the file name. */
function titleOf(path: string, text: string): string {
  const heading = path.endsWith('.md') ? /^#[ \t]+(.+)$/m.exec(text)?.[1] : text.trim().split('\n')[0];
  return heading !== undefined && heading.trim().length <= 80 ? heading.trim() : path.split(sep).at(-1)!;
}

/**
 * Reads every `.md`, `.txt` and `.jsonl` file under `folder` (sub-folders included) as knowledge-base
 * documents. A file's id is its path relative to the folder, so re-reading the folder gives the same ids
 * and ingestion can tell unchanged files from edited ones. A `.jsonl` file holds one document per line:
 * `{ "id", "title", "text" }` (BEIR's `_id` works too).
 */
export async function readDocumentsFromFolder(folder: string): Promise<SourceDocument[]> {
  const documents: SourceDocument[] = [];
  for (const path of await filesUnder(folder)) {
    const id = relative(folder, path).split(sep).join('/');
    const text = await readFile(path, 'utf8');
    if (path.endsWith('.jsonl')) {
      text.split('\n').forEach((line, index) => {
        const record = line.trim() === '' ? undefined : (JSON.parse(line) as Record<string, unknown>);
        // Lines that are not documents (no text) are skipped: JSON-lines files hold all sorts of records.
        if (typeof record?.text !== 'string' || record.text.trim() === '') return;
        const title = typeof record.title === 'string' ? record.title : undefined;
        documents.push({
          id: `${id}#${record.id ?? record._id ?? index + 1}`,
          title,
          text: record.text,
          source: id,
        });
      });
    } else if (text.trim() !== '') {
      const markdown = path.endsWith('.md');
      documents.push({
        id,
        title: titleOf(path, text),
        text,
        source: id,
        format: markdown ? 'markdown' : 'text',
      });
    }
  }
  return documents;
}
