import type { Scope, ScopeKeys } from '../scope';
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

/** A search as `defineKeywordIndex` hands it to a driver: checked. */
export interface CheckedKeywordQuery {
  readonly query: string;
  readonly topK: number;
  readonly filter: MetadataFilter | undefined;
}

/**
 * The raw methods of a keyword index, for `defineKeywordIndex`: each gets the scope's keys (from
 * `scopeKeys`, checked once) and checked input, and never sees an empty `add`. `clear(keys)` of a
 * workspace scope takes its users' entries too. See docs/write-your-own-adapter.md.
 */
export interface KeywordDriver {
  /** The index's `name`: `memory`, `postgres-bm25`. */
  readonly name: string;
  /** Names the index in error messages: `memoryKeywordIndex`. Default `name`. */
  readonly label?: string | undefined;
  /** Indexes these documents (distinct ids: the last of a repeated id is the one handed over). */
  add(keys: ScopeKeys, documents: readonly KeywordDocument[]): Promise<void>;
  /** Removes these ids (distinct, non-blank) of the scope; returns how many existed. */
  remove(keys: ScopeKeys, ids: readonly string[]): Promise<number>;
  search(keys: ScopeKeys, query: CheckedKeywordQuery): Promise<KeywordMatch[]>;
  clear(keys: ScopeKeys): Promise<number>;
  close?(): Promise<void>;
}
