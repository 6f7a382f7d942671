import { type Metadata, metadataSchema } from '@neptune/core';
import { z } from 'zod';

/** Metadata keys Neptune sets on every chunk; a document's own metadata may not use them. */
export const RESERVED_METADATA_KEYS = [
  'documentId',
  'chunkIndex',
  'chunkTotal',
  'startOffset',
  'endOffset',
  'tokenCount',
  'previousChunkId',
  'nextChunkId',
  'contentHash',
  'documentHash',
  'title',
  'source',
  'headings',
] as const;

/** A document to index: its id, text, title, source and metadata. */
export interface SourceDocument {
  /** Your stable id for the document (a path, a URL, a database id). Re-ingesting the same id replaces it. */
  readonly id: string;
  readonly text: string;
  readonly title?: string | undefined;
  /** Where it came from (a URL or path), carried into citations. */
  readonly source?: string | undefined;
  /** Your fields for filtering (`{ category: 'billing' }`); the keys in `RESERVED_METADATA_KEYS` are Neptune's. */
  readonly metadata?: Metadata | undefined;
  /** `markdown` chunks by headings; default `text`. */
  readonly format?: 'text' | 'markdown' | undefined;
}

export const sourceDocumentSchema = z.object({
  id: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(512, 'must be at most 512 characters')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
    .refine((id) => !/[\u0000-\u001f]/.test(id), 'must not contain control characters'),
  text: z
    .string({ error: 'documents must be text (a string); extract text from PDFs or HTML first' })
    .refine((text) => text.trim() !== '', 'is empty: a document needs text to be searchable')
    .refine((text) => text.length <= 10_000_000, 'is over 10,000,000 characters: split the document first'),
  title: z.string().max(1000).optional(),
  source: z.string().max(2000).optional(),
  metadata: metadataSchema
    .refine(
      (metadata) =>
        !Object.keys(metadata).some((key) => (RESERVED_METADATA_KEYS as readonly string[]).includes(key)),
      { message: `uses a reserved key (${RESERVED_METADATA_KEYS.join(', ')})` },
    )
    .optional(),
  format: z.enum(['text', 'markdown']).optional(),
});

export const sourceDocumentsSchema = z
  .array(sourceDocumentSchema)
  .refine((documents) => new Set(documents.map((document) => document.id)).size === documents.length, {
    message: 'contains the same document id twice',
  });

const FIRST_LINE_H1 = /^\s*#[ \t]+(.+?)[ \t#]*$/;
const FENCE_LINE = /^\s*(?:```|~~~)/;

/**
 * The title citations show: the document's own, else its markdown H1 (the first `# Heading` outside code
 * fences of a `markdown` document, or a first line `# Heading` of any document), else `undefined`.
 */
export function documentTitle(document: SourceDocument): string | undefined {
  if (document.title !== undefined && document.title.trim() !== '') return document.title;
  let inFence = false;
  for (const line of document.text.split('\n')) {
    if (FENCE_LINE.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const heading = FIRST_LINE_H1.exec(line);
    if (heading !== null) return heading[1]!.trim().slice(0, 1000);
    if (document.format !== 'markdown' && line.trim() !== '') return undefined;
  }
  return undefined;
}
