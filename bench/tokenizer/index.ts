import { defineBenchmark } from '../lib/benchmark';
import { documentText, readSciFactCorpus } from '../lib/scifact';
import { tokenizerCandidates } from './candidates';
import { coldLoadTable } from './cold-load';
import { footprintTable, measureFootprint } from './footprint';
import { sizeScalingTable } from './size-scaling';
import { measureThroughput } from './throughput-table';

/** How much the two encodings disagree: the cost of counting with the wrong one. */
function encodingGap(o200k: readonly number[], cl100k: readonly number[]) {
  const relativeSum = cl100k.reduce(
    (sum, count, index) => sum + (count - o200k[index]!) / Math.max(1, o200k[index]!),
    0,
  );
  return {
    meanPercent: (100 * relativeSum) / o200k.length,
    differentDocuments: o200k.filter((count, index) => count !== cl100k[index]).length,
  };
}

export default defineBenchmark({
  name: 'tokenizer',
  description:
    'Token counting on SciFact: tiktoken (WASM, the reference), js-tiktoken, gpt-tokenizer and @neptune/core/tokenizer',
  async run(context) {
    const documents = readSciFactCorpus(context.dataDirectory);
    const texts = documents.map(documentText);
    const footprints = new Map(
      tokenizerCandidates.map((candidate) => [
        candidate,
        measureFootprint(candidate, ['o200k_base', 'cl100k_base'], context.benchDirectory),
      ]),
    );
    const runtimeOf = (candidate: (typeof tokenizerCandidates)[number]) =>
      footprints.get(candidate)!.runtime.startsWith('WASM') ? 'WASM' : 'pure JS';

    const throughput = await measureThroughput(documents, texts, runtimeOf, context);
    const gap = encodingGap(
      throughput.referenceCounts.get('o200k_base')!,
      throughput.referenceCounts.get('cl100k_base')!,
    );
    const throughputTable = {
      ...throughput.table,
      notes: [
        ...(throughput.table.notes ?? []),
        `cl100k_base counts ${gap.meanPercent.toFixed(1)}% more tokens than o200k_base on average; the two differ on ${gap.differentDocuments.toLocaleString('en-US')} of ${texts.length.toLocaleString('en-US')} documents.`,
      ],
    };

    return {
      tables: [
        throughputTable,
        coldLoadTable(context),
        footprintTable(footprints),
        await sizeScalingTable(texts, context),
      ],
      figures: { documents: texts.length, mismatches: throughput.mismatches, encodingGap: gap },
      failures: throughput.failures,
    };
  },
});
