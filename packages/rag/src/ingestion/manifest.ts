import type { KeyValueStore, Scope } from '@neptune/core';

/** What was indexed for one document: the commit record of an ingestion. */
export interface ManifestEntry {
  /** Hash of the document's text, title, source, metadata and the pipeline (chunker, embedder). */
  readonly hash: string;
  readonly chunkIds: readonly string[];
  readonly title?: string | undefined;
  readonly source?: string | undefined;
  /** Epoch milliseconds. */
  readonly indexedAt: number;
}

const PREFIX = 'rag:doc:';

/** The record of indexed documents, kept in a key-value store under the same scope as the documents. */
export class DocumentManifest {
  constructor(private readonly store: KeyValueStore) {}

  async getMany(scope: Scope, documentIds: readonly string[]): Promise<Array<ManifestEntry | undefined>> {
    if (documentIds.length === 0) return [];
    const values = await this.store.getMany(
      scope,
      documentIds.map((id) => PREFIX + id),
    );
    return values.map((value) => (value === undefined ? undefined : (JSON.parse(value) as ManifestEntry)));
  }

  async set(scope: Scope, documentId: string, entry: ManifestEntry): Promise<void> {
    await this.store.set(scope, PREFIX + documentId, JSON.stringify(entry));
  }

  async delete(scope: Scope, documentId: string): Promise<void> {
    await this.store.delete(scope, PREFIX + documentId);
  }

  async *documentIds(scope: Scope): AsyncIterable<string> {
    for await (const key of this.store.list(scope, { prefix: PREFIX })) yield key.slice(PREFIX.length);
  }
}
