import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateDataset } from '@neptune/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BeirDataset, loadBeirDataset } from '../evaluation/load-beir-dataset';
import { meanNdcgAtK } from '../evaluation/ndcg-at-k';
import { meanRecallAtK } from '../evaluation/recall-at-k';
import { Bm25Index } from './bm25-index';

/**
 * Reproduces Anserini's published BM25 "flat" baseline on BEIR SciFact (Pyserini `2cr/beir.yaml`):
 * title + "\n" + text, Lucene's English analyzer, k1 0.9, b 0.4, the top 1000 per query with the
 * query's own id removed, evaluated as `trec_eval -c`.
 */
const PUBLISHED_NDCG_AT_10 = 0.6789;
const PUBLISHED_RECALL_AT_100 = 0.9253;

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
// Under CI a missing data set throws: the BM25 reproduction must run.
const dataDirectory = process.env.NEPTUNE_SCIFACT_DIR || locateDataset('scifact', repositoryRoot) || '';
const available = existsSync(join(dataDirectory, 'corpus.jsonl'));

describe.skipIf(!available)(`BM25 on BEIR SciFact (${dataDirectory})`, () => {
  let dataset: BeirDataset;
  let run: Map<string, string[]>;

  beforeAll(async () => {
    dataset = await loadBeirDataset(dataDirectory);
    const index = new Bm25Index({ k1: 0.9, b: 0.4 });
    index.add(
      dataset.corpus.map((document) => ({ id: document.id, text: `${document.title}\n${document.text}` })),
    );
    run = new Map();
    for (const queryId of dataset.qrels.keys()) {
      const text = dataset.queries.get(queryId);
      if (text === undefined)
        throw new Error(
          `SciFact query ${queryId} is judged in qrels/test.tsv but missing from queries.jsonl.`,
        );
      // One extra hit, since a document whose id equals the query id is dropped (Anserini's -removeQuery).
      const hits = index.search(text, { topK: 1001 });
      run.set(
        queryId,
        hits
          .map((hit) => hit.id)
          .filter((id) => id !== queryId)
          .slice(0, 1000),
      );
    }
  });

  it('has the 5,183 documents and 300 judged test queries of the published split', () => {
    expect(dataset.corpus).toHaveLength(5183);
    expect(dataset.qrels.size).toBe(300);
  });

  it(`reproduces Anserini's nDCG@10 of ${PUBLISHED_NDCG_AT_10} within 0.005`, () => {
    const ndcg = meanNdcgAtK(run, dataset.qrels, 10);
    const recall = meanRecallAtK(run, dataset.qrels, 100);
    console.info(
      `SciFact BM25 (k1 0.9, b 0.4): nDCG@10 ${ndcg.toFixed(4)} (published ${PUBLISHED_NDCG_AT_10}), Recall@100 ${recall.toFixed(4)} (published ${PUBLISHED_RECALL_AT_100})`,
    );
    expect(Math.abs(ndcg - PUBLISHED_NDCG_AT_10)).toBeLessThanOrEqual(0.005);
  });

  it(`reproduces Anserini's Recall@100 of ${PUBLISHED_RECALL_AT_100} within 0.005`, () => {
    expect(Math.abs(meanRecallAtK(run, dataset.qrels, 100) - PUBLISHED_RECALL_AT_100)).toBeLessThanOrEqual(
      0.005,
    );
  });
});
