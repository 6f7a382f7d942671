import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scope } from '@neptune/core';
import { createKnowledgeBase, type KnowledgeBase, type KnowledgeBaseOptions } from '@neptune/rag';
import { loadFolder } from '@neptune/rag/loaders';
import { loadKnowledgeBase } from './knowledge-base';

/** The sample folder shipped with the example: product docs in markdown, plain text and JSON lines. */
export const SAMPLE_DOCS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'docs');

/** The workspace the scripts index and search; shared documents live at workspace level, not per user. */
export const SCOPE: Scope = { workspaceId: 'acme' };

/**
 * A knowledge base holding what the example ships: the twelve help-centre articles of
 * `data/knowledge-base.jsonl` and the product docs of `data/docs`. Offline and in memory.
 */
export async function shippedKnowledgeBase(options: KnowledgeBaseOptions = {}): Promise<KnowledgeBase> {
  const articles = loadKnowledgeBase().map((article) => ({ ...article, source: 'help-centre' }));
  const { documents: docs, failures } = await loadFolder(SAMPLE_DOCS_FOLDER);
  if (failures.length > 0) throw failures[0];
  const knowledgeBase = createKnowledgeBase(options);
  const report = await knowledgeBase.ingest(SCOPE, [...articles, ...docs]);
  if (report.failed.length > 0) throw report.failed[0]!.error;
  return knowledgeBase;
}
