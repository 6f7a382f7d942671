import { Bm25Index } from '@neptune/rag';
import { type Cell, defineBenchmark } from './lib/benchmark';
import { requestedSizes, sizeLabel } from './lib/requested-sizes';
import { syntheticCorpus } from './retrieval-scale/synthetic-corpus';

const TOP_KS = [10, 50] as const;

/** p50 and p95 of CPU milliseconds: `process.cpuUsage()` moves far less with the machine's load than wall time. */
function cpuPercentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
}

export default defineBenchmark({
  name: 'bm25-pruning',
  description:
    'Bm25Index with MaxScore (pruning auto) against the full scan (never), on the scale benchmark synthetic corpora: CPU per search, same results',
  async run(context) {
    const sizes = requestedSizes('BM25_PRUNING_SIZES', '100k');
    const rows: Record<string, Cell>[] = [];
    const failures: string[] = [];
    for (const size of sizes) {
      const corpus = syntheticCorpus({ size, dimensions: 8, queries: 200 });
      const indexes = {
        full: new Bm25Index({ pruning: 'never' }),
        maxScore: new Bm25Index({ pruning: 'auto' }),
      };
      context.log(`${sizeLabel(size)}: building two indexes`);
      for (let start = 0; start < size; start += 10_000) {
        const batch = [];
        for (let index = start; index < Math.min(size, start + 10_000); index++) {
          const document = corpus.source.at(index);
          batch.push({ id: document.id, text: document.text });
        }
        indexes.full.add(batch);
        indexes.maxScore.add(batch);
      }
      for (const topK of TOP_KS) {
        const cpu: Record<string, { p50: number; p95: number }> = {};
        for (const [name, index] of Object.entries(indexes)) {
          for (const query of corpus.queries.slice(0, 10)) index.search(query.text, { topK });
          const samples = corpus.queries.map((query) => {
            const started = process.cpuUsage();
            index.search(query.text, { topK });
            const used = process.cpuUsage(started);
            return (used.user + used.system) / 1000;
          });
          cpu[name] = cpuPercentiles(samples);
        }
        const differing = corpus.queries.filter(
          (query) =>
            JSON.stringify(indexes.full.search(query.text, { topK })) !==
            JSON.stringify(indexes.maxScore.search(query.text, { topK })),
        ).length;
        if (differing > 0)
          failures.push(
            `${sizeLabel(size)}, top ${topK}: MaxScore differed from the full scan on ${differing} queries.`,
          );
        rows.push({
          chunks: sizeLabel(size),
          'top k': topK,
          'full scan p50 (ms CPU)': cpu.full!.p50,
          'full scan p95 (ms CPU)': cpu.full!.p95,
          'MaxScore p50 (ms CPU)': cpu.maxScore!.p50,
          'MaxScore p95 (ms CPU)': cpu.maxScore!.p95,
          'same results': `${corpus.queries.length - differing} / ${corpus.queries.length}`,
        });
      }
    }
    return {
      tables: [
        {
          title: 'Bm25Index: MaxScore against the full term-at-a-time scan, synthetic Zipf corpora',
          rows,
          notes: [
            'The retrieval-scale corpora (40-120 words from a 50,000-word Zipf vocabulary, seeded) and its 200 three-word queries; each query once per index after 10 warm-ups. CPU time of the search call alone (process.cpuUsage), which the shared machine disturbs far less than wall time.',
            "MaxScore: pruning 'auto', the default, which prunes when the query's posting lists hold over 20,000 entries; full scan: pruning 'never'. same results: queries whose ids, scores and order were identical.",
          ],
        },
      ],
      figures: { sizes },
      failures,
    };
  },
});
