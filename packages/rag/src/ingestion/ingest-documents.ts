import {
  type Embedder,
  type KeywordDocument,
  type KeywordIndex,
  type Metadata,
  type NeptuneError,
  type Scope,
  sha256Hex,
  stableStringify,
  throwIfAborted,
  type VectorRecord,
  type VectorStore,
} from '@neptune/core';
import type { Chunker, TextChunk } from '../chunking/chunk';
import type { DocumentManifest } from './manifest';
import { documentTitle, type SourceDocument } from './source-document';

/** How far an ingestion is: its phase, and the documents and chunks done out of the total. */
export interface IngestionProgress {
  readonly phase: 'checking' | 'chunking' | 'embedding' | 'writing' | 'removing' | 'done';
  readonly documentsDone: number;
  readonly documentsTotal: number;
  readonly chunksEmbedded: number;
  readonly chunksTotal: number;
}

/**
 * What an ingestion did: the documents added, updated, unchanged, removed and failed, and the chunks written.
 */
export interface IngestionReport {
  readonly added: string[];
  readonly updated: string[];
  readonly unchanged: string[];
  readonly removed: string[];
  readonly failed: Array<{ readonly documentId: string; readonly error: NeptuneError | Error }>;
  readonly chunksWritten: number;
  readonly chunksDeleted: number;
  /** Texts sent to the embedding model (cache misses). */
  readonly embeddingsComputed: number;
  readonly durationMs: number;
}

export interface IngestionPipeline {
  readonly vectorStore: VectorStore;
  /** A separate keyword index; omitted when the vector store indexes keywords itself. */
  readonly keywordIndex: KeywordIndex | undefined;
  readonly embedder: Embedder & { readonly stats?: { misses: number } };
  readonly chunkerFor: (document: SourceDocument) => Chunker;
  readonly manifest: DocumentManifest;
  /** Part of every document hash: changing the chunker or its sizes re-indexes everything. */
  readonly pipelineKey: string;
  /** Texts per embedding call. */
  readonly embedBatchSize: number;
  /**
   * Epoch milliseconds up to which manifest entries are not trusted: the vector store held nothing for
   * the scope when this process first ingested into it although the manifest may know documents (an
   * in-memory store after a restart with a persistent manifest). Such documents are indexed again rather
   * than called unchanged; their vectors come from the embedding cache. Strictly after: an old entry written
   * in the same millisecond must not pass; entries written from then on are stamped after it.
   * Default 0: every entry is trusted.
   */
  readonly trustedSince?: ((scope: Scope) => Promise<number>) | undefined;
}

/** Options of `ingest`. */
export interface IngestOptions {
  /** `full` also removes every indexed document not in this call. Default `incremental`. */
  readonly mode?: 'incremental' | 'full' | undefined;
  readonly onProgress?: ((progress: IngestionProgress) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

interface PreparedChunk {
  readonly id: string;
  readonly chunk: TextChunk;
  readonly metadata: Metadata;
}

interface PreparedDocument {
  readonly document: SourceDocument;
  readonly hash: string;
  readonly previousChunkIds: readonly string[] | undefined;
  readonly chunks: PreparedChunk[];
}

async function prepareDocument(
  pipeline: IngestionPipeline,
  document: SourceDocument,
  hash: string,
  previousChunkIds: readonly string[] | undefined,
  signal: AbortSignal | undefined,
): Promise<PreparedDocument> {
  const chunks = await pipeline.chunkerFor(document).chunk(document.text, { signal });
  const documentKey = (await sha256Hex(document.id)).slice(0, 16);
  // Ids come from the document, the position and the content: re-ingesting the same text gives the same ids.
  const ids = await Promise.all(
    chunks.map(
      async (chunk, index) =>
        `${documentKey}-${index}-${(await sha256Hex(`${chunk.headings?.join('\u0001') ?? ''}\u0002${chunk.text}`)).slice(0, 12)}`,
    ),
  );
  const prepared = await Promise.all(
    chunks.map(async (chunk, index) => ({
      id: ids[index]!,
      chunk,
      metadata: {
        ...document.metadata,
        documentId: document.id,
        documentHash: hash,
        chunkIndex: index,
        chunkTotal: chunks.length,
        startOffset: chunk.start,
        endOffset: chunk.end,
        tokenCount: chunk.tokens,
        previousChunkId: ids[index - 1] ?? null,
        nextChunkId: ids[index + 1] ?? null,
        contentHash: (await sha256Hex(chunk.text)).slice(0, 32),
        title: document.title ?? null,
        source: document.source ?? null,
        headings: chunk.headings ? [...chunk.headings] : [],
      } satisfies Metadata,
    })),
  );
  return { document, hash, previousChunkIds, chunks: prepared };
}

/** The text that is embedded: the title and heading path give a chunk the context its words lack. */
function embeddingText(document: SourceDocument, chunk: TextChunk): string {
  const context = [document.title, ...(chunk.headings ?? [])].filter(Boolean).join(' > ');
  return context ? `${context}\n${chunk.text}` : chunk.text;
}

interface EmbeddedDocument {
  readonly prepared: PreparedDocument;
  readonly vectors: readonly Float32Array[];
}

/**
 * Writes documents with one call per store for all of them (a multi-row write, one transaction on
 * pgvector), then their manifest entries: each store shows every document's whole new version or none
 * of it, and a document counts as indexed only once its entry is written.
 */
async function writeDocuments(
  pipeline: IngestionPipeline,
  scope: Scope,
  documents: readonly EmbeddedDocument[],
  trustedSince: number,
): Promise<void> {
  // Keywords are searched with the title and headings too, whichever store indexes them: a separate
  // keyword index gets them as its text, a vector store that indexes keywords itself as `keywordText`.
  const records: VectorRecord[] = [];
  const keywordDocuments: KeywordDocument[] = [];
  const fresh: string[] = [];
  for (const { prepared, vectors } of documents) {
    const previous = new Set(prepared.previousChunkIds ?? []);
    for (const [index, item] of prepared.chunks.entries()) {
      const keywordText = embeddingText(prepared.document, item.chunk);
      records.push({
        id: item.id,
        vector: vectors[index]!,
        text: item.chunk.text,
        keywordText,
        metadata: item.metadata,
      });
      keywordDocuments.push({ id: item.id, text: keywordText, metadata: item.metadata });
      if (!previous.has(item.id)) fresh.push(item.id);
    }
  }
  try {
    await pipeline.vectorStore.upsert(scope, records);
    if (pipeline.keywordIndex) await pipeline.keywordIndex.add(scope, keywordDocuments);
  } catch (error) {
    // Undo what this attempt added; chunks shared with the indexed versions are left alone.
    await pipeline.vectorStore.delete(scope, fresh).catch(() => undefined);
    await pipeline.keywordIndex?.remove(scope, fresh).catch(() => undefined);
    throw error;
  }
  // Never at or before the moment older entries stopped being trusted, or these would not be trusted either.
  const indexedAt = Math.max(Date.now(), trustedSince + 1);
  // The last version of a document given twice wins, as it would written one after the other.
  const entries = new Map(documents.map(({ prepared }) => [prepared.document.id, prepared]));
  await Promise.all(
    [...entries.values()].map((prepared) =>
      pipeline.manifest.set(scope, prepared.document.id, {
        hash: prepared.hash,
        chunkIds: prepared.chunks.map((item) => item.id),
        title: prepared.document.title,
        source: prepared.document.source,
        indexedAt,
      }),
    ),
  );
}

/**
 * Writes a group of embedded documents in one go; when that fails, each document alone, so that one bad
 * document (or a store's passing failure) fails only itself. Returns each document's error, if any.
 */
async function writeGroup(
  pipeline: IngestionPipeline,
  scope: Scope,
  documents: readonly EmbeddedDocument[],
  trustedSince: number,
): Promise<Array<Error | undefined>> {
  try {
    await writeDocuments(pipeline, scope, documents, trustedSince);
    return documents.map(() => undefined);
  } catch (error) {
    if (documents.length === 1) return [error as Error];
  }
  const outcomes: Array<Error | undefined> = [];
  for (const document of documents) {
    try {
      await writeDocuments(pipeline, scope, [document], trustedSince);
      outcomes.push(undefined);
    } catch (error) {
      outcomes.push(error as Error);
    }
  }
  return outcomes;
}

async function deleteChunks(
  pipeline: IngestionPipeline,
  scope: Scope,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const deleted = await pipeline.vectorStore.delete(scope, ids);
  if (pipeline.keywordIndex) await pipeline.keywordIndex.remove(scope, ids);
  return deleted;
}

/**
 * Indexes documents so that it can always be run again: unchanged documents (same hash) are skipped
 * without an embedding call, changed ones replace their chunks, and in `full` mode documents no longer
 * present are removed. The documents of one embedding batch are written together (one multi-row write per
 * store, then their manifest entries); a failure is reported per document (the batch is then written
 * document by document) and leaves that document's indexed version as it was.
 */
export async function ingestDocuments(
  pipeline: IngestionPipeline,
  scope: Scope,
  given: readonly SourceDocument[],
  options: IngestOptions = {},
): Promise<IngestionReport> {
  const started = performance.now();
  // A markdown document without a title is cited by its H1, not as `title: null`.
  const documents = given.map((document) => {
    const title = documentTitle(document);
    return title === document.title ? document : { ...document, title };
  });
  const report = {
    added: [] as string[],
    updated: [] as string[],
    unchanged: [] as string[],
    removed: [] as string[],
    failed: [] as IngestionReport['failed'],
    chunksWritten: 0,
    chunksDeleted: 0,
    embeddingsComputed: 0,
  };
  const progress = { documentsDone: 0, documentsTotal: documents.length, chunksEmbedded: 0, chunksTotal: 0 };
  const emit = (phase: IngestionProgress['phase']) => options.onProgress?.({ phase, ...progress });
  const missesBefore = pipeline.embedder.stats?.misses;

  emit('checking');
  let entries = await pipeline.manifest.getMany(
    scope,
    documents.map((document) => document.id),
  );
  const hashes = await Promise.all(
    documents.map((document) =>
      sha256Hex(
        stableStringify({
          text: document.text,
          title: document.title,
          source: document.source,
          metadata: document.metadata,
          format: document.format,
          pipeline: pipeline.pipelineKey,
        }),
      ),
    ),
  );

  const trustedSince = (await pipeline.trustedSince?.(scope)) ?? 0;
  if (trustedSince > 0)
    entries = entries.map((entry) =>
      entry !== undefined && entry.indexedAt > trustedSince ? entry : undefined,
    );

  const pending: PreparedDocument[] = [];
  emit('chunking');
  for (const [index, document] of documents.entries()) {
    throwIfAborted(options.signal, 'Ingestion');
    const entry = entries[index];
    if (entry?.hash === hashes[index]) {
      report.unchanged.push(document.id);
      progress.documentsDone++;
      continue;
    }
    try {
      const prepared = await prepareDocument(
        pipeline,
        document,
        hashes[index]!,
        entry?.chunkIds,
        options.signal,
      );
      pending.push(prepared);
      progress.chunksTotal += prepared.chunks.length;
    } catch (error) {
      report.failed.push({ documentId: document.id, error: error as Error });
      progress.documentsDone++;
    }
  }

  /** Writes one embedded group and records each document's outcome. */
  const writeEmbedded = async (group: readonly PreparedDocument[], vectors: readonly Float32Array[]) => {
    emit('writing');
    let offset = 0;
    const embedded = group.map((prepared) => {
      const documentVectors = vectors.slice(offset, offset + prepared.chunks.length);
      offset += prepared.chunks.length;
      return { prepared, vectors: documentVectors };
    });
    const outcomes = await writeGroup(pipeline, scope, embedded, trustedSince);
    const stale: string[] = [];
    const replaced: PreparedDocument[] = [];
    for (const [index, prepared] of group.entries()) {
      const error = outcomes[index];
      if (error !== undefined) {
        report.failed.push({ documentId: prepared.document.id, error });
        continue;
      }
      report.chunksWritten += prepared.chunks.length;
      const kept = new Set(prepared.chunks.map((item) => item.id));
      const gone = (prepared.previousChunkIds ?? []).filter((id) => !kept.has(id));
      stale.push(...gone);
      if (gone.length > 0) replaced.push(prepared);
      (prepared.previousChunkIds === undefined ? report.added : report.updated).push(prepared.document.id);
    }
    try {
      // The replaced versions' leftover chunks, in one call for the group.
      report.chunksDeleted += await deleteChunks(pipeline, scope, stale);
    } catch (error) {
      for (const prepared of replaced) {
        const list = prepared.previousChunkIds === undefined ? report.added : report.updated;
        list.splice(list.indexOf(prepared.document.id), 1);
        report.failed.push({ documentId: prepared.document.id, error: error as Error });
      }
    }
    progress.documentsDone += group.length;
  };

  // Embed documents in groups of about `embedBatchSize` texts, then commit each document of the group.
  // A group is written while the next one is embedded (one embedding call and one write in flight at a
  // time, writes in order): the model and the database work side by side instead of taking turns.
  let writing: Promise<void> | undefined;
  let groupStart = 0;
  try {
    while (groupStart < pending.length) {
      throwIfAborted(options.signal, 'Ingestion');
      let groupEnd = groupStart;
      let texts = 0;
      while (
        groupEnd < pending.length &&
        (groupEnd === groupStart || texts + pending[groupEnd]!.chunks.length <= pipeline.embedBatchSize)
      ) {
        texts += pending[groupEnd]!.chunks.length;
        groupEnd++;
      }
      const group = pending.slice(groupStart, groupEnd);
      groupStart = groupEnd;
      emit('embedding');
      let vectors: Float32Array[];
      try {
        vectors = await pipeline.embedder.embed(
          group.flatMap((prepared) =>
            prepared.chunks.map((item) => embeddingText(prepared.document, item.chunk)),
          ),
          { signal: options.signal, purpose: 'document' },
        );
      } catch (error) {
        for (const prepared of group)
          report.failed.push({ documentId: prepared.document.id, error: error as Error });
        progress.documentsDone += group.length;
        continue;
      }
      progress.chunksEmbedded += texts;
      await writing;
      writing = writeEmbedded(group, vectors);
      // Its failure is thrown where it is awaited, not reported as unhandled while the next group embeds.
      writing.catch(() => undefined);
    }
    await writing;
  } catch (error) {
    // Aborted (or a write threw): the write in flight still ends before the call does.
    await writing?.catch(() => undefined);
    throw error;
  }

  if (options.mode === 'full') {
    emit('removing');
    const keep = new Set(documents.map((document) => document.id));
    const gone: string[] = [];
    for await (const id of pipeline.manifest.documentIds(scope)) if (!keep.has(id)) gone.push(id);
    const removal = await removeDocuments(pipeline, scope, gone);
    report.removed.push(...removal.removed);
    report.chunksDeleted += removal.chunksDeleted;
  }

  report.embeddingsComputed =
    missesBefore === undefined
      ? progress.chunksEmbedded
      : (pipeline.embedder.stats?.misses ?? 0) - missesBefore;
  emit('done');
  return { ...report, durationMs: performance.now() - started };
}

/** Removes documents and all their chunks; ids that were never indexed are ignored. */
export async function removeDocuments(
  pipeline: IngestionPipeline,
  scope: Scope,
  documentIds: readonly string[],
): Promise<{ removed: string[]; chunksDeleted: number }> {
  const entries = await pipeline.manifest.getMany(scope, documentIds);
  const removed: string[] = [];
  let chunksDeleted = 0;
  for (const [index, entry] of entries.entries()) {
    if (entry === undefined) continue;
    chunksDeleted += await deleteChunks(pipeline, scope, entry.chunkIds);
    await pipeline.manifest.delete(scope, documentIds[index]!);
    removed.push(documentIds[index]!);
  }
  return { removed, chunksDeleted };
}
