import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKnowledgeBase, type KnowledgeBase } from '@neptune/rag';

export interface HelpArticle {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

/** The twelve help articles the examples ship (`examples/pipeline/data/knowledge-base.jsonl`). */
export function helpArticles(): HelpArticle[] {
  const file = join(import.meta.dirname, '../../../examples/pipeline/data/knowledge-base.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as HelpArticle);
}

export const WORKSPACE = 'acme';

/** An in-memory knowledge base holding the help articles under the workspace `acme`. */
export async function helpKnowledgeBase(
  options: Parameters<typeof createKnowledgeBase>[0] = {},
): Promise<KnowledgeBase> {
  const knowledge = createKnowledgeBase(options);
  const report = await knowledge.ingest({ workspaceId: WORKSPACE }, helpArticles());
  if (report.failed.length > 0) throw new Error('ingesting the help articles failed');
  return knowledge;
}
