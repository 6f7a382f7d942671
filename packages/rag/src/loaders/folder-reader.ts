import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Metadata } from '@neptune/core';
import type { SourceDocument } from '../ingestion/source-document';
import { DocumentLoadError } from './document-load-error';
import { globMatcher } from './glob-pattern';
import { loadHtml } from './html-loader';
import type { DocumentLoader } from './loader-input';
import { loadPdf } from './pdf-loader';
import { loadJsonLines, loadMarkdown, loadText } from './text-loaders';

/** The loader of each file extension `readFolder` and `loadFile` know without being told. */
export const DEFAULT_LOADERS: Readonly<Record<string, DocumentLoader>> = {
  '.md': loadMarkdown,
  '.markdown': loadMarkdown,
  '.mdx': loadMarkdown,
  '.txt': loadText,
  '.text': loadText,
  '.jsonl': loadJsonLines,
  '.html': loadHtml,
  '.htm': loadHtml,
  '.pdf': loadPdf,
};

/**
 * Options of `readFolder` and `loadFolder`: which files, which loaders, and the ids and metadata they get.
 */
export interface ReadFolderOptions {
  /** Globs of files to read, relative to the folder (`**\/*.md`, `*.pdf`). Default: every file a loader knows. */
  readonly include?: readonly string[] | undefined;
  /** Globs of files (or folders) to leave out; hidden files and `node_modules` are always left out. */
  readonly exclude?: readonly string[] | undefined;
  /** Loaders by extension (`{ '.rst': myLoader }`), over `DEFAULT_LOADERS`. */
  readonly loaders?: Readonly<Record<string, DocumentLoader>> | undefined;
  /** Put before every id (`'handbook/'`), to keep two folders apart in one scope. */
  readonly idPrefix?: string | undefined;
  /** Your fields, on every document of the folder. */
  readonly metadata?: Metadata | undefined;
}

/** One file read: its documents, or why it could not be read. */
export type FolderEntry =
  | { readonly file: string; readonly documents: SourceDocument[]; readonly error?: undefined }
  | { readonly file: string; readonly documents?: undefined; readonly error: DocumentLoadError };

/** What `loadFolder` returns: the documents read, and the files that could not be. */
export interface FolderLoadResult {
  readonly documents: SourceDocument[];
  /** Files that could not be read, each naming the file and the reason. The others were read. */
  readonly failures: DocumentLoadError[];
  readonly files: number;
}

const hidden = (name: string) => name.startsWith('.') || name === 'node_modules';

async function* filesUnder(
  folder: string,
  relative: string,
  excluded: (path: string) => boolean,
): AsyncGenerator<string> {
  const entries: Dirent[] = await readdir(join(folder, relative), { withFileTypes: true });
  entries.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  for (const entry of entries) {
    if (hidden(entry.name)) continue;
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (excluded(path)) continue;
    if (entry.isDirectory()) yield* filesUnder(folder, path, excluded);
    else if (entry.isFile()) yield path;
  }
}

function loaderFor(
  path: string,
  loaders: Readonly<Record<string, DocumentLoader>>,
): DocumentLoader | undefined {
  return Object.hasOwn(loaders, extname(path).toLowerCase())
    ? loaders[extname(path).toLowerCase()]
    : undefined;
}

async function loadWith(
  loader: DocumentLoader,
  absolutePath: string,
  id: string,
  metadata: Metadata | undefined,
): Promise<SourceDocument[]> {
  let content: Uint8Array;
  try {
    content = await readFile(absolutePath);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : `cannot be read (${(error as Error).message})`;
    throw new DocumentLoadError({ file: id, reason, cause: error, missingFile: code === 'ENOENT' });
  }
  return loader({ id, content, metadata });
}

/**
 * Reads a folder and its sub-folders file by file, in path order, yielding each file's documents or its
 * `DocumentLoadError`; one unreadable file never stops the rest. Ids are paths relative to the folder
 * with `/` (`guides/setup.md`, `report.pdf#page=4`), so reading the folder again gives the same ids
 * and ingestion can tell unchanged files from edited ones, on any machine and operating system.
 */
export async function* readFolder(
  folder: string,
  options: ReadFolderOptions = {},
): AsyncGenerator<FolderEntry> {
  const loaders = { ...DEFAULT_LOADERS, ...options.loaders };
  const included = options.include ? globMatcher(options.include, 'include') : undefined;
  const excluded = globMatcher(options.exclude ?? [], 'exclude');
  for await (const path of filesUnder(folder, '', excluded)) {
    const loader = loaderFor(path, loaders);
    if (included ? !included(path) : loader === undefined) continue;
    const id = `${options.idPrefix ?? ''}${path}`;
    try {
      if (!loader)
        throw new DocumentLoadError({
          file: id,
          reason: `has no loader for its extension (pass one in \`loaders\`)`,
        });
      yield { file: id, documents: await loadWith(loader, join(folder, path), id, options.metadata) };
    } catch (error) {
      yield { file: id, error: toLoadError(id, error) };
    }
  }
}

function toLoadError(file: string, error: unknown): DocumentLoadError {
  if (DocumentLoadError.isInstance(error)) return error;
  return new DocumentLoadError({
    file,
    reason: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}

/** `readFolder`, collected: every document read, and every file that could not be. */
export async function loadFolder(folder: string, options: ReadFolderOptions = {}): Promise<FolderLoadResult> {
  const documents: SourceDocument[] = [];
  const failures: DocumentLoadError[] = [];
  let files = 0;
  for await (const entry of readFolder(folder, options)) {
    files++;
    if (entry.error) failures.push(entry.error);
    else documents.push(...entry.documents);
  }
  return { documents, failures, files };
}

/**
 * Reads one file with the loader of its extension. The id defaults to the path as given; pass a stable
 * one (`{ id: 'uploads/42.pdf' }`) when the path is temporary.
 */
export async function loadFile(
  path: string,
  options: {
    readonly id?: string;
    readonly loaders?: Readonly<Record<string, DocumentLoader>>;
    readonly metadata?: Metadata;
  } = {},
): Promise<SourceDocument[]> {
  const id = options.id ?? path;
  const loader = loaderFor(path, { ...DEFAULT_LOADERS, ...options.loaders });
  if (!loader)
    throw new DocumentLoadError({
      file: id,
      reason: 'has no loader for its extension (pass one in `loaders`)',
    });
  return loadWith(loader, path, id, options.metadata);
}
