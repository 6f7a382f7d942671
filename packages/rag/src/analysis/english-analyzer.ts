import type { Analyzer } from './analyzer';
import { stripEnglishPossessive } from './english-possessive';
import { ENGLISH_STOP_WORDS } from './english-stop-words';
import { lowerCaseToken } from './lower-case';
import { porterStem } from './porter-stemmer';
import { standardTokenize } from './standard-tokenizer';

/** Stems are remembered up to this many distinct words; a corpus has far fewer, so the cache rarely resets. */
const STEM_CACHE_LIMIT = 100_000;
const stemCache = new Map<string, string>();

function cachedStem(word: string): string {
  let stem = stemCache.get(word);
  if (stem === undefined) {
    stem = porterStem(word);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, stem);
  }
  return stem;
}

/**
 * Lucene's English analysis chain as Anserini's BM25 baselines run it: StandardTokenizer, possessive
 * removal, lower case, Lucene's 33 English stop words, Porter stemmer. "The Runner's shoes" →
 * ["runner", "shoe"]. Matching Lucene term for term is what lets the BM25 index reproduce published
 * Anserini numbers.
 */
export const englishAnalyzer: Analyzer = (text) => {
  const terms: string[] = [];
  for (const token of standardTokenize(text)) {
    const word = lowerCaseToken(stripEnglishPossessive(token));
    if (ENGLISH_STOP_WORDS.has(word)) continue;
    terms.push(cachedStem(word));
  }
  return terms;
};

/**
 * Lucene's StandardAnalyzer: StandardTokenizer and lower case, no stop words, no stemming. For text that
 * is not English, or when exact word forms matter (product codes, names).
 */
export const standardAnalyzer: Analyzer = (text) => standardTokenize(text).map(lowerCaseToken);
