import {
  type KeywordDocument,
  type KeywordQuery,
  keywordDocumentsSchema,
  keywordQuerySchema,
  parseInput,
  recordIdsSchema,
} from '@neptune/core';

/*
 * The argument checks every `KeywordIndex` runs before it touches its storage. `indexName` is the
 * factory's name (`memoryKeywordIndex`, `pgvectorStore`), so a `ValidationError` reads
 * "Invalid documents passed to memoryKeywordIndex.add: …".
 */

/** The documents of `add`. */
export function parseKeywordDocuments(indexName: string, documents: readonly KeywordDocument[]) {
  return parseInput(keywordDocumentsSchema, documents, `documents passed to ${indexName}.add`);
}

/** The ids of `remove`, `get` or another method taking record ids. */
export function parseRecordIds(indexName: string, method: string, ids: readonly string[]) {
  return parseInput(recordIdsSchema, ids, `ids passed to ${indexName}.${method}`);
}

/** The query of `search`. */
export function parseKeywordQuery(indexName: string, query: KeywordQuery) {
  return parseInput(keywordQuerySchema, query, `query passed to ${indexName}.search`);
}
