import { type TokenizerEncoding, tokenizerEncodings } from '@neptune/core/tokenizer';
import type { BenchmarkContext, BenchmarkTable, Cell } from '../lib/benchmark';
import type { SciFactDocument } from '../lib/scifact';
import {
  neptuneCandidate,
  type TokenizerCandidate,
  tiktokenCandidate,
  tokenizerCandidates,
} from './candidates';
import { type CorpusRun, runOverCorpus } from './corpus-run';

const WARM_PASSES = 5;

export interface ThroughputResult {
  readonly table: BenchmarkTable;
  /** tiktoken's count of every document, per encoding. */
  readonly referenceCounts: ReadonlyMap<TokenizerEncoding, readonly number[]>;
  /** Per library and encoding, the documents whose count differs from tiktoken's. */
  readonly mismatches: Readonly<Record<string, string[]>>;
  readonly failures: readonly string[];
}

function differingDocuments(
  documents: readonly SciFactDocument[],
  run: CorpusRun,
  reference: readonly number[],
) {
  return documents
    .map((document, index) => ({ id: document.id, actual: run.counts[index]!, expected: reference[index]! }))
    .filter(({ actual, expected }) => actual !== expected)
    .map(({ id, actual, expected }) => `${id}: ${actual} (tiktoken ${expected})`);
}

function throughputRow(
  candidate: TokenizerCandidate,
  encoding: TokenizerEncoding,
  run: CorpusRun,
  corpus: { bytes: number; documents: number; runtime: string; differing: number },
): Record<string, Cell> {
  return {
    library: candidate.name,
    encoding,
    runtime: corpus.runtime,
    'MB/s': corpus.bytes / 1e6 / (run.warmPassNs / 1e9),
    'docs/s': corpus.documents / (run.warmPassNs / 1e9),
    'first pass (MB/s)': corpus.bytes / 1e6 / (run.firstPassNs / 1e9),
    'median (µs/doc)': run.warmLatency.medianNs / 1e3,
    'p95 (µs/doc)': run.warmLatency.p95Ns / 1e3,
    'counts ≠ tiktoken': corpus.differing,
  };
}

/** Counts every document with every library and encoding, timing each, and checks counts against tiktoken. */
export async function measureThroughput(
  documents: readonly SciFactDocument[],
  texts: readonly string[],
  runtimeOf: (candidate: TokenizerCandidate) => string,
  context: BenchmarkContext,
): Promise<ThroughputResult> {
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  const rows: Record<string, Cell>[] = [];
  const referenceCounts = new Map<TokenizerEncoding, readonly number[]>();
  const mismatches: Record<string, string[]> = {};
  const failures: string[] = [];
  for (const encoding of tokenizerEncodings) {
    context.log(`throughput: ${encoding}`);
    const tokenizers = await Promise.all(tokenizerCandidates.map((candidate) => candidate.load(encoding)));
    const contenders = tokenizerCandidates.map((candidate, index) => ({
      tokenizer: tokenizers[index]!,
      resetCaches: async () => candidate.resetCaches?.(encoding),
    }));
    const runs = await runOverCorpus(contenders, texts, WARM_PASSES);
    for (const tokenizer of tokenizers) tokenizer.dispose?.();
    const reference = runs[tokenizerCandidates.indexOf(tiktokenCandidate)]!.counts;
    referenceCounts.set(encoding, reference);
    for (const [index, candidate] of tokenizerCandidates.entries()) {
      const differing = differingDocuments(documents, runs[index]!, reference);
      mismatches[`${candidate.name} ${encoding}`] = differing;
      if (candidate === neptuneCandidate && differing.length > 0) {
        failures.push(`${candidate.name} ${encoding} differs from tiktoken on ${differing.length} documents`);
      }
      const corpus = {
        bytes,
        documents: texts.length,
        runtime: runtimeOf(candidate),
        differing: differing.length,
      };
      rows.push(throughputRow(candidate, encoding, runs[index]!, corpus));
    }
  }
  const table: BenchmarkTable = {
    title: `Throughput and latency: SciFact, ${texts.length.toLocaleString('en-US')} documents, ${(bytes / 1e6).toFixed(2)} MB`,
    rows,
    notes: [
      `MB/s, docs/s and latency: median of ${WARM_PASSES} passes after the first, the libraries taking turns pass by pass; latency is per document (title + "\\n" + abstract).`,
      "First pass: right after loading, caches emptied (gpt-tokenizer keeps a merge cache). @neptune/core/tokenizer shares gpt-tokenizer's code, so its JIT is already warm.",
      'Counts are of plain text (special-token strings are ordinary characters), compared with tiktoken document by document.',
    ],
  };
  return { table, referenceCounts, mismatches, failures };
}
