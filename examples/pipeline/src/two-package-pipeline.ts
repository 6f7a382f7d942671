// Only two Neptune packages: @neptune/core (scope, embedder, tokenizer) and @neptune/rag (chunker, stores,
// retriever). No createKnowledgeBase, no result cache, no manifest: the parts are wired by hand.
import { type Scope, validateScope } from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { hybridRetriever, type Retriever, sentenceChunker } from '@neptune/rag';
import { memoryKeywordIndex, memoryVectorStore } from '@neptune/rag/memory';

export interface PlainDocument {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

export interface TwoPackagePipeline {
  readonly retriever: Retriever;
  readonly scope: Scope;
  readonly chunks: number;
}

/** Chunks, embeds and indexes the documents, and returns a hybrid (vector + BM25) retriever over them. */
export async function buildTwoPackagePipeline(
  documents: readonly PlainDocument[],
): Promise<TwoPackagePipeline> {
  const scope = validateScope({ workspaceId: 'acme' });
  const tokenizer = await createTokenizer({ encoding: 'cl100k_base' });
  const embedder = offlineEmbedder();
  const chunker = sentenceChunker({ tokenizer, maxTokens: 48, overlapTokens: 8 }); // small, to show neighbours
  const vectorStore = memoryVectorStore({ dimensions: embedder.dimensions });
  const keywordIndex = memoryKeywordIndex();

  let chunks = 0;
  for (const document of documents) {
    const pieces = await chunker.chunk(document.text);
    const ids = pieces.map((_, index) => `${document.id}#${index}`);
    const vectors = await embedder.embed(pieces.map((piece) => `${document.title}\n${piece.text}`));
    // The retriever reads these fields: citations (documentId, title, offsets) and neighbours (previous/next).
    const records = pieces.map((piece, index) => ({
      id: ids[index]!,
      text: piece.text,
      metadata: {
        documentId: document.id,
        title: document.title,
        chunkIndex: index,
        startOffset: piece.start,
        endOffset: piece.end,
        tokenCount: piece.tokens,
        previousChunkId: ids[index - 1] ?? null,
        nextChunkId: ids[index + 1] ?? null,
      },
    }));
    await vectorStore.upsert(
      scope,
      records.map((record, index) => ({ ...record, vector: vectors[index]! })),
    );
    await keywordIndex.add(
      scope,
      records.map((record) => ({ ...record, text: `${document.title}\n${record.text}` })),
    );
    chunks += pieces.length;
  }

  return { retriever: hybridRetriever({ vectorStore, keywordIndex, embedder, tokenizer }), scope, chunks };
}
