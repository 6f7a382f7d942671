/**
 * Evaluate retrieval on a small labelled set: 20 questions over the 12 help-centre articles, each with the
 * articles that answer it (data/retrieval-questions.jsonl). It compares BM25 alone, vectors alone and the
 * hybrid default with the metrics @neptune/rag exports (nDCG@10, Recall@3, MRR@10, as trec_eval computes them).
 *
 *   pnpm --filter @neptune/examples-pipeline evaluate
 *
 * For a real benchmark, run every configuration over BEIR SciFact (5,183 abstracts, 300 questions):
 *   pnpm eval --data ../shared/data/scifact          (from the repository root)
 */
import { evaluateRetrieval, loadLabelledQuestions } from './src/evaluate-retrieval';

const { questions } = loadLabelledQuestions();
console.log(`${questions.size} labelled questions over 12 help-centre articles (offline embedder)\n`);
console.log(
  `${'configuration'.padEnd(24)} ${'nDCG@10'.padStart(8)} ${'Recall@3'.padStart(9)} ${'MRR@10'.padStart(8)}`,
);
for (const row of await evaluateRetrieval()) {
  const cells = [
    row.ndcgAt10.toFixed(3).padStart(8),
    row.recallAt3.toFixed(3).padStart(9),
    row.mrrAt10.toFixed(3).padStart(8),
  ];
  console.log(`${row.name.padEnd(24)} ${cells.join(' ')}`);
}
console.log(
  '\nTwenty questions are a smoke test, not a benchmark: for that, `pnpm eval --data ../shared/data/scifact`.',
);
