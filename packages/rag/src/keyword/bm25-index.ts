import {
  type KeywordDocument,
  type KeywordMatch,
  keywordDocumentsSchema,
  type Metadata,
  type MetadataFilter,
  matchesFilter,
  metadataFilterSchema,
  parseInput,
  parseOptions,
  recordIdsSchema,
} from '@neptune/core';
import { z } from 'zod';
import type { Analyzer } from '../analysis/analyzer';
import {
  type Bm25IndexOptions,
  type Bm25SearchOptions,
  bm25IndexOptionsSchema,
  bm25SearchOptionsSchema,
} from './bm25-index-options';
import {
  bm25InverseDocumentFrequency,
  exactTermScore,
  luceneNormInverseTable,
  luceneTermScore,
} from './bm25-scoring';
import { DocumentTable } from './document-table';
import { freezeMetadata } from './freeze-metadata';
import { encodeLengthNorm } from './lucene-length-norm';
import { maxScoreSearch, type PrunedTerm } from './max-score-search';
import { PostingList } from './posting-list';
import { TopKHeap } from './top-k-heap';

const queryTextSchema = z.string({ error: 'query must be a string' });

/** With `pruning: 'auto'`, queries whose posting lists hold more entries than this are pruned. */
const AUTO_PRUNING_POSTINGS = 20_000;

/**
 * An inverted index with Lucene's BM25 ranking, kept up to date on every add and remove: postings per
 * term, document lengths and the total length are maintained incrementally, so a search only reads the
 * postings of the query's terms and keeps the best `topK` in a heap. Synchronous and unscoped; the
 * scoped `memoryKeywordIndex` holds one per scope.
 *
 * Query terms are weighted by how often they occur in the query (Anserini's bag-of-words query). Equal
 * scores are ordered by id.
 */
export class Bm25Index {
  readonly analyzer: Analyzer;
  readonly k1: number;
  readonly b: number;
  readonly luceneCompatible: boolean;
  readonly pruning: 'auto' | 'always' | 'never';

  private readonly documents = new DocumentTable();
  private readonly postings = new Map<string, PostingList>();
  /** Documents with at least one term: N in the idf, and the divisor of the average length. */
  private nonEmptyCount = 0;
  private totalLength = 0;

  private normInverseTable: Float32Array | undefined;
  private normInverseAverage = Number.NaN;
  /** Per-search accumulators indexed by document number, reused across searches and left zeroed. */
  private scratchScores = new Float64Array(0);
  private scratchTouched = new Uint8Array(0);

  constructor(options: Bm25IndexOptions = {}) {
    const parsed = parseOptions(bm25IndexOptionsSchema, options, 'Bm25Index options');
    this.analyzer = parsed.analyzer;
    this.k1 = parsed.k1;
    this.b = parsed.b;
    this.luceneCompatible = parsed.luceneCompatible;
    this.pruning = parsed.pruning;
  }

  /** Documents in the index. */
  get size(): number {
    return this.documents.size;
  }

  /** Mean number of terms per non-empty document (Lucene's avgdl). */
  get averageLength(): number {
    return this.nonEmptyCount === 0 ? 0 : this.totalLength / this.nonEmptyCount;
  }

  /** How many documents contain an (analysed) term. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.live ?? 0;
  }

  has(id: string): boolean {
    return this.documents.numberById.has(id);
  }

  /** Every id in the index, in no particular order. */
  ids(): IterableIterator<string> {
    return this.documents.numberById.keys();
  }

  /**
   * Adds documents; an id already present is replaced. All documents are validated before any is
   * written, so a bad batch changes nothing (`ValidationError`).
   */
  add(documents: readonly KeywordDocument[]): void {
    const parsed = parseInput(keywordDocumentsSchema, documents, 'documents passed to Bm25Index.add');
    for (const document of parsed) {
      this.removeOne(document.id);
      this.insert(document.id, document.text, freezeMetadata(document.metadata ?? {}));
    }
  }

  /** Removes documents by id; returns how many were present. Their terms stop counting at once. */
  remove(ids: readonly string[]): number {
    const parsed = parseInput(recordIdsSchema, ids, 'ids passed to Bm25Index.remove');
    let removed = 0;
    for (const id of parsed) if (this.removeOne(id)) removed++;
    return removed;
  }

  /** Removes every document whose metadata matches the filter; returns how many. */
  removeWhere(filter: MetadataFilter): number {
    const parsed = parseInput(metadataFilterSchema, filter, 'filter passed to Bm25Index.removeWhere');
    const matching = [...this.documents.numberById].filter(([, number]) =>
      matchesFilter(this.documents.metadata[number]!, parsed),
    );
    for (const [id] of matching) this.removeOne(id);
    return matching.length;
  }

  /** Removes everything; returns how many documents there were. */
  clear(): number {
    const count = this.size;
    this.documents.clear();
    this.postings.clear();
    this.nonEmptyCount = 0;
    this.totalLength = 0;
    return count;
  }

  /** Documents by id, in the order asked; missing ids are left out. */
  get(ids: readonly string[]): KeywordDocument[] {
    const parsed = parseInput(recordIdsSchema, ids, 'ids passed to Bm25Index.get');
    const found: KeywordDocument[] = [];
    for (const id of parsed) {
      const number = this.documents.numberById.get(id);
      if (number === undefined) continue;
      found.push({ id, text: this.documents.texts[number]!, metadata: this.documents.metadata[number]! });
    }
    return found;
  }

  /**
   * The `topK` documents with the highest BM25 score for the query, best first. Only documents sharing a
   * term with the query are returned; a query without searchable terms (only stop words) returns none.
   */
  search(query: string, options: Bm25SearchOptions): KeywordMatch[] {
    const text = parseInput(queryTextSchema, query, 'Bm25Index query');
    const { topK, filter } = parseInput(bm25SearchOptionsSchema, options, 'Bm25Index search options');
    const queryTerms = new Map<string, number>();
    for (const term of this.analyzer(text)) queryTerms.set(term, (queryTerms.get(term) ?? 0) + 1);
    if (queryTerms.size === 0 || this.nonEmptyCount === 0) return [];
    if (this.prunes(queryTerms)) return this.searchPruned(queryTerms, topK, filter);
    const touched = this.accumulateScores(queryTerms);
    return this.selectTop(touched, topK, filter);
  }

  private prunes(queryTerms: ReadonlyMap<string, number>): boolean {
    if (this.pruning !== 'auto') return this.pruning === 'always';
    let postings = 0;
    for (const term of queryTerms.keys()) postings += this.postings.get(term)?.length ?? 0;
    return postings > AUTO_PRUNING_POSTINGS;
  }

  /** The query's terms as MaxScore reads them: weights, scores and bounds exactly as the full scan's. */
  private prunedTerms(queryTerms: ReadonlyMap<string, number>): PrunedTerm[] {
    const { norms, lengths } = this.documents;
    const averageLength = this.averageLength;
    const { k1, b } = this;
    const normInverse = this.luceneCompatible ? this.normInverseFor(Math.fround(averageLength)) : undefined;
    const terms: PrunedTerm[] = [];
    for (const [term, countInQuery] of queryTerms) {
      const list = this.postings.get(term);
      if (list === undefined) continue;
      const idf = bm25InverseDocumentFrequency(list.live, this.nonEmptyCount);
      if (normInverse) {
        const weight = Math.fround(countInQuery * Math.fround(idf));
        terms.push({
          list,
          score: (frequency, document) => luceneTermScore(weight, frequency, normInverse[norms[document]!]!),
          bound: luceneTermScore(
            weight,
            list.maxFrequency,
            normInverse[encodeLengthNorm(list.shortestLength)]!,
          ),
        });
      } else {
        const weight = countInQuery * idf;
        terms.push({
          list,
          score: (frequency, document) =>
            exactTermScore(weight, frequency, lengths[document]!, averageLength, k1, b),
          bound: exactTermScore(weight, list.maxFrequency, list.shortestLength, averageLength, k1, b),
        });
      }
    }
    return terms;
  }

  private searchPruned(
    queryTerms: ReadonlyMap<string, number>,
    topK: number,
    filter: MetadataFilter | undefined,
  ): KeywordMatch[] {
    const { ids, metadata, alive } = this.documents;
    const heap = new TopKHeap(topK);
    // Lucene sums clause scores in double precision and hands back a float.
    const finish = this.luceneCompatible ? Math.fround : (sum: number) => sum;
    maxScoreSearch(this.prunedTerms(queryTerms), alive, heap, finish, (document, score) => {
      const id = ids[document]!;
      if (!heap.admits(score, id)) return;
      if (filter !== undefined && !matchesFilter(metadata[document]!, filter)) return;
      heap.offer(score, id, document);
    });
    return this.matchesIn(heap);
  }

  /** Term at a time: adds each query term's contribution into a per-document accumulator. */
  private accumulateScores(queryTerms: ReadonlyMap<string, number>): number[] {
    if (this.scratchScores.length < this.documents.capacity) {
      this.scratchScores = new Float64Array(this.documents.capacity);
      this.scratchTouched = new Uint8Array(this.documents.capacity);
    }
    const { alive, norms, lengths } = this.documents;
    const scores = this.scratchScores;
    const seen = this.scratchTouched;
    const touched: number[] = [];
    const averageLength = this.averageLength;
    const normInverse = this.luceneCompatible ? this.normInverseFor(Math.fround(averageLength)) : undefined;
    for (const [term, countInQuery] of queryTerms) {
      const list = this.postings.get(term);
      if (list === undefined) continue;
      const idf = bm25InverseDocumentFrequency(list.live, this.nonEmptyCount);
      // Lucene weighs a repeated query term through its boost: weight = boost · idf, in floats.
      const weight = normInverse ? Math.fround(countInQuery * Math.fround(idf)) : countInQuery * idf;
      const { documents, frequencies, length } = list;
      for (let index = 0; index < length; index++) {
        const document = documents[index]!;
        if (alive[document] !== 1) continue;
        if (seen[document] === 0) {
          seen[document] = 1;
          touched.push(document);
        }
        const frequency = frequencies[index]!;
        scores[document]! += normInverse
          ? luceneTermScore(weight, frequency, normInverse[norms[document]!]!)
          : exactTermScore(weight, frequency, lengths[document]!, averageLength, this.k1, this.b);
      }
    }
    return touched;
  }

  private selectTop(
    touched: readonly number[],
    topK: number,
    filter: MetadataFilter | undefined,
  ): KeywordMatch[] {
    const { ids, metadata } = this.documents;
    const heap = new TopKHeap(topK);
    for (const document of touched) {
      // Lucene sums clause scores in double precision and hands back a float.
      const score = this.luceneCompatible
        ? Math.fround(this.scratchScores[document]!)
        : this.scratchScores[document]!;
      this.scratchScores[document] = 0;
      this.scratchTouched[document] = 0;
      const id = ids[document]!;
      if (!heap.admits(score, id)) continue;
      if (filter !== undefined && !matchesFilter(metadata[document]!, filter)) continue;
      heap.offer(score, id, document);
    }
    return this.matchesIn(heap);
  }

  /** The heap's documents as matches, best first. */
  private matchesIn(heap: TopKHeap): KeywordMatch[] {
    const { texts, metadata } = this.documents;
    return heap.sorted().map(({ score, id, reference }) => ({
      id,
      score,
      text: texts[reference],
      metadata: metadata[reference]!,
    }));
  }

  /** Lucene's 256-entry length table depends on the average length, so it is rebuilt only when that moves. */
  private normInverseFor(averageLength: number): Float32Array {
    if (this.normInverseTable === undefined || this.normInverseAverage !== averageLength) {
      this.normInverseTable = luceneNormInverseTable(this.k1, this.b, averageLength);
      this.normInverseAverage = averageLength;
    }
    return this.normInverseTable;
  }

  private insert(id: string, text: string, metadata: Metadata): void {
    const terms = this.analyzer(text);
    const frequencies = new Map<string, number>();
    for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    const number = this.documents.insert(id, text, metadata, [...frequencies.keys()], terms.length);
    for (const [term, frequency] of frequencies) {
      let list = this.postings.get(term);
      if (list === undefined) {
        list = new PostingList();
        this.postings.set(term, list);
      }
      list.append(number, frequency, terms.length);
    }
    if (terms.length > 0) this.nonEmptyCount++;
    this.totalLength += terms.length;
  }

  private removeOne(id: string): boolean {
    const number = this.documents.numberById.get(id);
    if (number === undefined) return false;
    const terms = this.documents.terms[number]!;
    const length = this.documents.lengths[number]!;
    this.documents.remove(number);
    for (const term of terms) {
      const list = this.postings.get(term)!;
      list.markRemoved(this.documents.alive);
      if (list.live === 0) this.postings.delete(term);
    }
    if (length > 0) this.nonEmptyCount--;
    this.totalLength -= length;
    if (this.documents.wantsRenumber) {
      const newNumbers = this.documents.renumber();
      for (const list of this.postings.values()) list.renumber(newNumbers);
    }
    return true;
  }
}
