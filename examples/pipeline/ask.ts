/**
 * Ask a question of the shipped knowledge base (12 help-centre articles and the product docs in data/docs)
 * and get an answer with numbered citations: title, document id and the character span of each source.
 *
 *   pnpm --filter @neptune/examples-pipeline ask -- "Can I get a refund on an annual plan?"
 *
 * Offline, the answer comes from `extractiveChatModel()` (`@neptune/core/offline`), which quotes the best
 * sentences of the numbered passages; with OPENAI_API_KEY set, `openaiChatModel()` streams a real answer.
 */
import { ask, formatCitations } from './src/ask';

const question =
  process.argv
    .slice(2)
    .filter((value) => value !== '--')
    .join(' ') || 'Can I get a refund on an annual plan?';
console.log(`Q: ${question}\n`);

const result = await ask(question, { onText: (text) => process.stdout.write(text) });

console.log(`\n\nSources (${result.model}, prompt ${result.promptTokens} tokens):`);
for (const line of formatCitations(result)) console.log(`  ${line}`);
