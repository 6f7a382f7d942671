import { type TokenizerEncoding, tokenizerEncodings } from '@neptune/core/tokenizer';
import type { BenchmarkContext, BenchmarkTable, Cell } from '../lib/benchmark';
import { measure } from '../lib/measure';
import { type TokenizerCandidate, tokenizerCandidates } from './candidates';

/** Sizes to count, with enough samples for a stable median at each. */
export const TEXT_SIZES = [
  { label: '1 KB', bytes: 1_000, warmupIterations: 20, iterations: 200 },
  { label: '10 KB', bytes: 10_000, warmupIterations: 5, iterations: 50 },
  { label: '100 KB', bytes: 100_000, warmupIterations: 2, iterations: 10 },
  { label: '1 MB', bytes: 1_000_000, warmupIterations: 1, iterations: 7 },
] as const;

/** The longest prefix of `source` whose UTF-8 form is at most `bytes` long. */
export function prefixOfBytes(source: string, bytes: number): string {
  let text = source.slice(0, bytes);
  for (let excess = Buffer.byteLength(text) - bytes; excess > 0; excess = Buffer.byteLength(text) - bytes) {
    text = text.slice(0, text.length - excess);
  }
  return text;
}

/**
 * Count time for one text of each size. Caches are emptied before every sample, so that each count
 * is of text the tokenizer has not seen, as in production.
 */
export async function measureSizeScaling(
  candidate: TokenizerCandidate,
  encoding: TokenizerEncoding,
  corpusText: string,
): Promise<Record<string, Cell>> {
  const tokenizer = await candidate.load(encoding);
  const row: Record<string, Cell> = { library: candidate.name, encoding };
  let smallestMs = Number.NaN;
  try {
    for (const size of TEXT_SIZES) {
      const text = prefixOfBytes(corpusText, size.bytes);
      const result = await measure(() => tokenizer.count(text), {
        warmupIterations: size.warmupIterations,
        iterations: size.iterations,
        beforeEach: () => candidate.resetCaches?.(encoding),
      });
      const medianMs = result.medianNs / 1e6;
      if (Number.isNaN(smallestMs)) smallestMs = medianMs;
      row[`${size.label} (ms)`] = medianMs;
      if (size.bytes === 1_000_000) {
        row['1 MB (MB/s)'] = size.bytes / 1e6 / (medianMs / 1e3);
        row['1 MB ÷ 1 KB time'] = medianMs / smallestMs;
      }
    }
  } finally {
    tokenizer.dispose?.();
  }
  return row;
}

export async function sizeScalingTable(
  texts: readonly string[],
  context: BenchmarkContext,
): Promise<BenchmarkTable> {
  const corpusText = texts.join('\n\n');
  const rows: Record<string, Cell>[] = [];
  for (const encoding of tokenizerEncodings) {
    for (const candidate of tokenizerCandidates) {
      context.log(`size scaling: ${candidate.name} ${encoding}`);
      rows.push(await measureSizeScaling(candidate, encoding, corpusText));
    }
  }
  return {
    title: 'Count time by text size (SciFact abstracts joined; caches emptied before every sample)',
    rows,
    notes: [
      `Median of ${TEXT_SIZES.map((size) => size.iterations).join(' / ')} samples. Linear growth makes the 1 MB ÷ 1 KB ratio about 1,000.`,
    ],
  };
}
