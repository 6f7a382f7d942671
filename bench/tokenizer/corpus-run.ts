import { type Measurement, summarize } from '../lib/measure';
import type { CountingTokenizer } from './candidates';

export interface CorpusRun {
  /** Token count of every document, in corpus order. */
  readonly counts: number[];
  /** The first pass: right after loading, caches emptied, as in a process that has just started. */
  readonly firstPassNs: number;
  /** The median of the later passes. */
  readonly warmPassNs: number;
  /** Per-document latency over the later passes. */
  readonly warmLatency: Measurement;
}

export interface CorpusContender {
  readonly tokenizer: CountingTokenizer;
  resetCaches(): Promise<void>;
}

/** Counts every text once, timing each; returns the pass's total time. */
function timedPass(
  tokenizer: CountingTokenizer,
  texts: readonly string[],
  latenciesNs: number[],
  counts: number[],
) {
  let totalNs = 0;
  for (let index = 0; index < texts.length; index++) {
    const start = process.hrtime.bigint();
    counts[index] = tokenizer.count(texts[index]!);
    const elapsedNs = Number(process.hrtime.bigint() - start);
    totalNs += elapsedNs;
    latenciesNs.push(elapsedNs);
  }
  return totalNs;
}

/**
 * One first pass over the corpus per contender, then `warmPasses` rounds in which each contender makes
 * one pass in turn. Taking turns spreads any burst of load from other processes over all contenders,
 * instead of it landing on whichever ran at that moment.
 */
export async function runOverCorpus(
  contenders: readonly CorpusContender[],
  texts: readonly string[],
  warmPasses: number,
): Promise<CorpusRun[]> {
  const counts = contenders.map(() => new Array<number>(texts.length));
  const firstPassesNs: number[] = [];
  for (const [index, contender] of contenders.entries()) {
    await contender.resetCaches();
    firstPassesNs.push(timedPass(contender.tokenizer, texts, [], counts[index]!));
  }
  const latenciesNs = contenders.map((): number[] => []);
  const passTotalsNs = contenders.map((): number[] => []);
  for (let pass = 0; pass < warmPasses; pass++) {
    for (const [index, contender] of contenders.entries()) {
      passTotalsNs[index]!.push(
        timedPass(contender.tokenizer, texts, latenciesNs[index]!, new Array(texts.length)),
      );
    }
  }
  return contenders.map((_, index) => ({
    counts: counts[index]!,
    firstPassNs: firstPassesNs[index]!,
    warmPassNs: summarize(passTotalsNs[index]!).medianNs,
    warmLatency: summarize(latenciesNs[index]!),
  }));
}
