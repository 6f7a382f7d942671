import type { Metadata } from '@neptune/core';
import { type SourceDocument, sourceDocumentSchema } from '../ingestion/source-document';
import { DocumentLoadError } from './document-load-error';

/** What a loader reads: a file's bytes or text with the id its documents get (a path, an upload id). */
export interface LoaderInput {
  /** Stable id of the file; documents get it, or `id#part` when one file gives several. */
  readonly id: string;
  readonly content: string | Uint8Array;
  /** Carried into citations; default: the id. */
  readonly source?: string | undefined;
  /** Your fields, merged over what the file itself says (front matter, PDF info). */
  readonly metadata?: Metadata | undefined;
}

/** Turns one file into source documents; it rejects with a `DocumentLoadError` naming the file. */
export type DocumentLoader = (input: LoaderInput) => Promise<SourceDocument[]>;

const decoder = new TextDecoder('utf-8', { fatal: true });

export function textOf(input: LoaderInput): string {
  if (typeof input.content === 'string') return input.content.replace(/^\uFEFF/, '');
  try {
    return decoder.decode(input.content).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new DocumentLoadError({
      file: input.id,
      reason: 'is not UTF-8 text (a binary file, or another encoding: convert it to UTF-8 first)',
      cause: error,
    });
  }
}

export function bytesOf(input: LoaderInput): Uint8Array {
  return typeof input.content === 'string' ? new TextEncoder().encode(input.content) : input.content;
}

/** The last path segment without its extension: a title when the file names none. */
export function fileTitle(id: string): string {
  const name = id.split(/[/\\]/).at(-1) ?? id;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * Checks what a loader produced against what `ingest` accepts, so a file that gives an empty or oversized
 * document fails alone, as a `DocumentLoadError`, instead of failing the whole `ingest` call later.
 */
export function checkedDocuments(file: string, documents: SourceDocument[]): SourceDocument[] {
  if (documents.length === 0) throw new DocumentLoadError({ file, reason: 'has no text to index' });
  for (const document of documents) {
    const result = sourceDocumentSchema.safeParse(document);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = issue.path.join('.') || 'document';
      throw new DocumentLoadError({ file, reason: `${field} ${issue.message}`, cause: result.error });
    }
  }
  return documents;
}

/** Runs a loader body; anything it throws that is not already a load error becomes one naming the file. */
export async function loading<T>(file: string, what: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (DocumentLoadError.isInstance(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DocumentLoadError({ file, reason: `is not a readable ${what} (${reason})`, cause: error });
  }
}
