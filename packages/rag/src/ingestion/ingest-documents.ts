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

export interface IngestionProgress {
  readonly phase: 'checking' | 'chunking' | 'embedding' | 'writing' | 'removing' | 'done';
  readonly documentsDone: number;
  readonly documentsTotal: number;
  readonly chunksEmbedded: number;
  readonly chunksTotal: number;
}

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
   * False when the vector store holds nothing for the scope although the manifest knows documents (an
   * in-memory store after a restart with a persistent manifest): they are then indexed again rather than
   * called unchanged. Asked only when some document would be skipped as unchanged. Default: intact.
   */
  readonly indexIntact?: ((scope: Scope) => Promise<boolean>) | undefined;
}

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

async function writeDocument(
  pipeline: IngestionPipeline,
  scope: Scope,
  prepared: PreparedDocument,
  vectors: readonly Float32Array[],
): Promise<void> {
  // Keywords are searched with the title and headings too, whichever store indexes them: a separate
  // keyword index gets them as its text, a vector store that indexes keywords itself as `keywordText`.
  const keywordTexts = prepared.chunks.map((item) => embeddingText(prepared.document, item.chunk));
  const records: VectorRecord[] = prepared.chunks.map((item, index) => ({
    id: item.id,
    vector: vectors[index]!,
    text: item.chunk.text,
    keywordText: keywordTexts[index],
    metadata: item.metadata,
  }));
  const keywordDocuments: KeywordDocument[] = prepared.chunks.map((item, index) => ({
    id: item.id,
    text: keywordTexts[index]!,
    metadata: item.metadata,
  }));
  const previous = new Set(prepared.previousChunkIds ?? []);
  const fresh = records.map((record) => record.id).filter((id) => !previous.has(id));
  try {
    // One call per store per document, so each store shows the whole new version or none of it.
    await pipeline.vectorStore.upsert(scope, records);
    if (pipeline.keywordIndex) await pipeline.keywordIndex.add(scope, keywordDocuments);
  } catch (error) {
    // Undo what this attempt added; chunks shared with the indexed version are left alone.
    await pipeline.vectorStore.delete(scope, fresh).catch(() => undefined);
    await pipeline.keywordIndex?.remove(scope, fresh).catch(() => undefined);
    throw error;
  }
  await pipeline.manifest.set(scope, prepared.document.id, {
    hash: prepared.hash,
    chunkIds: records.map((record) => record.id),
    title: prepared.document.title,
    source: prepared.document.source,
    indexedAt: Date.now(),
  });
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
 * present are removed. Each document is committed on its own (stores, then the manifest); a failure is
 * reported per document and leaves that document's indexed version as it was.
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

  const wouldSkip = entries.some((entry, index) => entry?.hash === hashes[index]);
  if (wouldSkip && pipeline.indexIntact !== undefined && !(await pipeline.indexIntact(scope))) {
    entries = entries.map(() => undefined);
  }

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

  // Embed documents in groups of about `embedBatchSize` texts, then commit each document of the group.
  let groupStart = 0;
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
    emit('writing');
    let offset = 0;
    for (const prepared of group) {
      const documentVectors = vectors.slice(offset, offset + prepared.chunks.length);
      offset += prepared.chunks.length;
      try {
        await writeDocument(pipeline, scope, prepared, documentVectors);
        report.chunksWritten += prepared.chunks.length;
        const kept = new Set(prepared.chunks.map((item) => item.id));
        const stale = (prepared.previousChunkIds ?? []).filter((id) => !kept.has(id));
        report.chunksDeleted += await deleteChunks(pipeline, scope, stale);
        (prepared.previousChunkIds === undefined ? report.added : report.updated).push(prepared.document.id);
      } catch (error) {
        report.failed.push({ documentId: prepared.document.id, error: error as Error });
      }
      progress.documentsDone++;
    }
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
