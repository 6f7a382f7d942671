import {
  type KeywordDocument,
  type KeywordIndex,
  type KeywordMatch,
  type KeywordQuery,
  type Metadata,
  matchesFilter,
  type Scope,
  scopeKeys,
} from '@neptune/core';
import { clearPartitions, removeFromPartition } from '../in-memory/scoped-partition-removal';
import { ScopedPartitions } from '../in-memory/scoped-partitions';
import { freezeMetadata } from '../keyword/freeze-metadata';
import { parseKeywordDocuments, parseKeywordQuery, parseRecordIds } from '../keyword/parse-keyword-input';

interface StoredText {
  readonly text: string;
  readonly lowerCase: string;
  readonly metadata: Metadata;
}

class NaivePartition {
  readonly texts = new Map<string, StoredText>();
  get size(): number {
    return this.texts.size;
  }
}

/** The distinct lower-case words of a query, split at anything that is not a letter or a digit. */
export function queryWords(query: string): string[] {
  return [...new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u))].filter((word) => word !== '');
}

/**
 * The keyword fallback of the app Neptune generalizes, kept as the baseline that `neptune-eval` measures
 * against: a text scores the number of distinct query words it contains (`text.includes(word)`, case
 * folded), with no stemming, no stop words and no term weighting. Ties keep insertion order. Not for
 * production: it reads every text on every search.
 */
export function naiveKeywordIndex(): KeywordIndex {
  const partitions = new ScopedPartitions(() => new NaivePartition());

  return {
    name: 'keyword-naive',

    async add(scope: Scope, documents: readonly KeywordDocument[]): Promise<void> {
      const keys = scopeKeys(scope);
      const parsed = parseKeywordDocuments('naiveKeywordIndex', documents);
      if (parsed.length === 0) return;
      const partition = partitions.findOrCreate(keys);
      for (const { id, text, metadata } of parsed) {
        partition.texts.delete(id);
        partition.texts.set(id, {
          text,
          lowerCase: text.toLowerCase(),
          metadata: freezeMetadata(metadata ?? {}),
        });
      }
    },

    async remove(scope: Scope, ids: readonly string[]): Promise<number> {
      const keys = scopeKeys(scope);
      const parsed = parseRecordIds('naiveKeywordIndex', 'remove', ids);
      return removeFromPartition(partitions, keys, (partition) => {
        let removed = 0;
        for (const id of new Set(parsed)) if (partition.texts.delete(id)) removed++;
        return removed;
      });
    },

    async search(scope: Scope, query: KeywordQuery): Promise<KeywordMatch[]> {
      const keys = scopeKeys(scope);
      const parsed = parseKeywordQuery('naiveKeywordIndex', query);
      const partition = partitions.find(keys);
      const words = queryWords(parsed.query);
      if (partition === undefined || words.length === 0) return [];
      const matches: KeywordMatch[] = [];
      for (const [id, stored] of partition.texts) {
        let score = 0;
        for (const word of words) if (stored.lowerCase.includes(word)) score++;
        if (score === 0 || !matchesFilter(stored.metadata, parsed.filter)) continue;
        matches.push({ id, score, text: stored.text, metadata: stored.metadata });
      }
      // Array.prototype.sort is stable, so equal counts stay in insertion order.
      return matches.sort((left, right) => right.score - left.score).slice(0, parsed.topK);
    },

    async clear(scope: Scope): Promise<number> {
      return clearPartitions(partitions, scopeKeys(scope));
    },
  };
}
