import type { Scope } from '../scope';
import type { Metadata, MetadataFilter } from './metadata';

/** A document to index for keyword search: its id, text and metadata. */
export interface KeywordDocument {
  readonly id: string;
  readonly text: string;
  readonly metadata?: Metadata | undefined;
}

/** A keyword search: the query text, how many matches, and a metadata filter. */
export interface KeywordQuery {
  readonly query: string;
  /** How many matches to return, at most. A positive integer. */
  readonly topK: number;
  readonly filter?: MetadataFilter | undefined;
}

/** A document found by a keyword search, with its score. */
export interface KeywordMatch {
  readonly id: string;
  /** BM25 score (or the backend's equivalent, such as `ts_rank_cd`); only the order is comparable across backends. */
  readonly score: number;
  readonly text: string | undefined;
  readonly metadata: Metadata;
}

/** Full-text search with BM25-style ranking, scoped. Adding an id again replaces it. */
export interface KeywordIndex {
  readonly name: string;
  add(scope: Scope, documents: readonly KeywordDocument[]): Promise<void>;
  /** Removes by id; returns how many existed. */
  remove(scope: Scope, ids: readonly string[]): Promise<number>;
  search(scope: Scope, query: KeywordQuery): Promise<KeywordMatch[]>;
  /** Removes everything in the scope (for a workspace scope: its users' entries too). */
  clear(scope: Scope): Promise<number>;
  close?(): Promise<void>;
}
