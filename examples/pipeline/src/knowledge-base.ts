import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KnowledgeDocument {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

const here = dirname(fileURLToPath(import.meta.url));

function readJsonLines(path: string, limit = Number.POSITIVE_INFINITY): KnowledgeDocument[] {
  const documents: KnowledgeDocument[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (documents.length >= limit) break;
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as { id?: string; _id?: string; title: string; text: string };
    documents.push({
      id: record.id ?? record._id ?? String(documents.length),
      title: record.title,
      text: record.text,
    });
  }
  return documents;
}

/** The help-centre articles shipped with the example, so the demo works on a fresh clone with nothing else. */
export function loadKnowledgeBase(): KnowledgeDocument[] {
  return readJsonLines(join(here, '..', 'data', 'knowledge-base.jsonl'));
}
