/**
 * A retrieval pipeline from two packages only, @neptune/core and @neptune/rag, wired by hand: a sentence
 * chunker, an in-memory vector store, an in-memory BM25 index and the hybrid retriever. No knowledge-base
 * object, no cache package, no manifest: take only the parts you need (see src/two-package-pipeline.ts).
 *
 *   pnpm --filter @neptune/examples-pipeline custom-pipeline
 */
import { loadKnowledgeBase } from './src/knowledge-base';
import { buildTwoPackagePipeline } from './src/two-package-pipeline';

const articles = loadKnowledgeBase();
const { retriever, scope, chunks } = await buildTwoPackagePipeline(articles);
console.log(`Indexed ${articles.length} help-centre articles as ${chunks} chunks of at most 48 tokens.\n`);

for (const question of [
  'What happens if we exceed the API rate limit?',
  'Can members keep password login after SSO?',
]) {
  const result = await retriever.retrieve(scope, question, { topK: 3, neighbours: 1 });
  console.log(
    `Q: ${question}  [legs: ${result.legs.join(' + ')}, ${result.timingsMs.totalMs!.toFixed(1)} ms]`,
  );
  for (const passage of result.passages) {
    const { documentId, start, end } = passage.citation;
    const ranks = Object.entries(passage.legs).map(([leg, hit]) => `${leg} #${hit.rank}`);
    console.log(
      `  ${passage.citation.title} (${documentId}, characters ${start}-${end}; ${ranks.join(', ')})`,
    );
    console.log(
      `    chunk ${passage.id} widened to ${passage.chunkIds.length} chunks: "${passage.text.slice(0, 90)}…"`,
    );
  }
}
