import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createKnowledgeBase,
  meanNdcgAtK,
  meanRecallAtK,
  mrrAtK,
  type Qrels,
  type RetrieveOptions,
  type Run,
} from '@neptune/rag';
import { loadKnowledgeBase } from './knowledge-base';
import { SCOPE } from './shipped-knowledge-base';

const QUESTIONS_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'data',
  'retrieval-questions.jsonl',
);

/** What is compared: the same index, searched with one leg, the other, or both fused. */
export const CONFIGURATIONS: Readonly<Record<string, RetrieveOptions>> = {
  'keyword only (BM25)': { vectorWeight: 0, keywordWeight: 1 },
  'vector only (offline)': { vectorWeight: 1, keywordWeight: 0 },
  'hybrid (default)': {}, // the retriever's defaults for the offline embedder (fusionDefaultsFor): score fusion, 0.2 / 0.8
};

export interface EvaluationRow {
  readonly name: string;
  readonly ndcgAt10: number;
  readonly recallAt3: number;
  readonly mrrAt10: number;
}

/** The labelled questions: question text by id, and the judged documents per question (2 answers it, 1 helps). */
export function loadLabelledQuestions(): { questions: Map<string, string>; qrels: Qrels } {
  const questions = new Map<string, string>();
  const qrels = new Map<string, Map<string, number>>();
  for (const line of readFileSync(QUESTIONS_FILE, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as { id: string; question: string; relevant: Record<string, number> };
    questions.set(record.id, record.question);
    qrels.set(record.id, new Map(Object.entries(record.relevant)));
  }
  return { questions, qrels };
}

/** Ranks the help-centre articles for every labelled question under each configuration, and scores the runs. */
export async function evaluateRetrieval(): Promise<EvaluationRow[]> {
  const { questions, qrels } = loadLabelledQuestions();
  // No result cache: every query is searched, under every configuration.
  const knowledgeBase = createKnowledgeBase({ cache: false });
  await knowledgeBase.ingest(SCOPE, loadKnowledgeBase());

  const rows: EvaluationRow[] = [];
  for (const [name, options] of Object.entries(CONFIGURATIONS)) {
    const run = new Map<string, string[]>();
    for (const [id, question] of questions) {
      const { passages } = await knowledgeBase.retrieve(SCOPE, question, {
        topK: 10,
        neighbours: 0,
        ...options,
      });
      run.set(id, [...new Set(passages.map((passage) => passage.citation.documentId))]);
    }
    rows.push({ name, ...score(run, qrels) });
  }
  return rows;
}

function score(run: Run, qrels: Qrels): Omit<EvaluationRow, 'name'> {
  return {
    ndcgAt10: meanNdcgAtK(run, qrels, 10),
    recallAt3: meanRecallAtK(run, qrels, 3),
    mrrAt10: mrrAtK(run, qrels, 10),
  };
}
