import type { Scope, ScopeKeys } from '../scope';
import type { Metadata, MetadataFilter } from './metadata';

/** A record to store in a vector store: its id, vector, text and metadata. */
export interface VectorRecord {
  /** Stable id, unique within the scope (content-derived ids make re-ingestion idempotent). */
  readonly id: string;
  readonly vector: Float32Array | readonly number[];
  /** The text the vector was computed from. Stored so results can be shown without another lookup. */
  readonly text?: string | undefined;
  /**
   * The text a store that also indexes keywords (`capabilities.keyword`) searches the record by, when
   * it is not `text`: the knowledge base prefixes a chunk's title and headings, as it does for a separate
   * keyword index. Not stored or returned; default `text`. Stores without keyword search ignore it.
   */
  readonly keywordText?: string | undefined;
  readonly metadata?: Metadata | undefined;
}

/** A vector search: the query vector, how many matches, a metadata filter and a similarity floor. */
export interface VectorQuery {
  readonly vector: Float32Array | readonly number[];
  /** How many matches to return, at most. A positive integer. */
  readonly topK: number;
  readonly filter?: MetadataFilter | undefined;
  /** Drop matches under this similarity. */
  readonly minScore?: number | undefined;
}

/** A record found by a vector search, with its similarity. */
export interface VectorMatch {
  readonly id: string;
  /** Cosine similarity in [-1, 1]; higher is closer. */
  readonly score: number;
  readonly text: string | undefined;
  readonly metadata: Metadata;
}

/** What a vector store can do beyond the contract's minimum. */
export interface VectorStoreCapabilities {
  /** Search is exact (brute force) rather than approximate (HNSW, IVF). */
  readonly exact: boolean;
  /** The store also implements `KeywordIndex` over the same records (pgvector's BM25, Upstash hybrid), searching each record by its `keywordText` or else its `text`. */
  readonly keyword: boolean;
}

/**
 * Dense vectors, scoped. Similarity is cosine. Upserting an id replaces the record. A store is created
 * for one dimension; a vector of another length is refused with `DimensionMismatchError`.
 */
export interface VectorStore {
  readonly name: string;
  readonly dimensions: number;
  readonly capabilities: VectorStoreCapabilities;
  upsert(scope: Scope, records: readonly VectorRecord[]): Promise<void>;
  /** Deletes by id; returns how many existed. */
  delete(scope: Scope, ids: readonly string[]): Promise<number>;
  /** Deletes every record whose metadata matches; returns how many. */
  deleteWhere(scope: Scope, filter: MetadataFilter): Promise<number>;
  query(scope: Scope, query: VectorQuery): Promise<VectorMatch[]>;
  /** Records by id, in the order asked; missing ids are left out. */
  get(scope: Scope, ids: readonly string[]): Promise<VectorRecord[]>;
  /** Deletes everything in the scope (for a workspace scope: its users' records too). */
  clear(scope: Scope): Promise<number>;
  count(scope: Scope): Promise<number>;
  close?(): Promise<void>;
}

/** A record as `defineVectorStore` hands it to a driver: checked, its vector of the store's length. */
export interface CheckedVectorRecord {
  readonly id: string;
  readonly vector: Float32Array | readonly number[];
  readonly text: string | undefined;
  readonly keywordText: string | undefined;
  readonly metadata: Metadata | undefined;
}

/** A query as `defineVectorStore` hands it to a driver: checked, its vector of the store's length. */
export interface CheckedVectorQuery {
  readonly vector: Float32Array | readonly number[];
  readonly topK: number;
  readonly filter: MetadataFilter | undefined;
  readonly minScore: number | undefined;
}

/**
 * The few raw methods of a vector store, for `defineVectorStore`: each gets the scope's keys (from
 * `scopeKeys`, checked once) and checked input, and never sees an empty `upsert`. Scoping is the
 * driver's one duty: `keys.filter` / `keys.namespace` / `keys.keyPrefix` name the scope's records, and
 * `clear` of a workspace scope takes its users' records too. See docs/write-your-own-adapter.md.
 */
export interface VectorDriver {
  /** The store's `name`: `memory`, `pgvector`, `upstash-vector`. */
  readonly name: string;
  /** Names the store in error messages: `memoryVectorStore`. Default `name`. */
  readonly label?: string | undefined;
  readonly dimensions: number;
  readonly capabilities: VectorStoreCapabilities;
  /**
   * What a `DimensionMismatchError` advises, given the length received. Default: embed with the store's
   * model, or create the store with `{ dimensions: received }`.
   */
  readonly dimensionAdvice?: ((received: number) => string) | undefined;
  /** Writes these records (distinct ids: the last of a repeated id is the one handed over). */
  upsert(keys: ScopeKeys, records: readonly CheckedVectorRecord[]): Promise<void>;
  /** Deletes these ids (distinct, non-blank) of the scope; returns how many existed. */
  delete(keys: ScopeKeys, ids: readonly string[]): Promise<number>;
  deleteWhere(keys: ScopeKeys, filter: MetadataFilter): Promise<number>;
  query(keys: ScopeKeys, query: CheckedVectorQuery): Promise<VectorMatch[]>;
  /** Records by id, in the order asked; missing ids left out. */
  get(keys: ScopeKeys, ids: readonly string[]): Promise<VectorRecord[]>;
  clear(keys: ScopeKeys): Promise<number>;
  count(keys: ScopeKeys): Promise<number>;
  close?(): Promise<void>;
}
