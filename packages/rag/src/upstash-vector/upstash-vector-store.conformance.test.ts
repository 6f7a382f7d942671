import {
  describeKeywordIndexConformance,
  describeVectorStoreConformance,
  mockEmbedder,
} from '@neptune/core/testing';
import { afterAll, beforeAll } from 'vitest';
import {
  startUpstashVectorServer,
  type UpstashVectorServer,
} from '../testing/upstash-vector/upstash-vector-server';
import { upstashVectorStore } from './upstash-vector-store';

let dense: UpstashVectorServer;
let hybrid: UpstashVectorServer;
beforeAll(async () => {
  [dense, hybrid] = await Promise.all([
    startUpstashVectorServer({ dimension: 8 }),
    startUpstashVectorServer({ dimension: 16, hybrid: true }),
  ]);
});
afterAll(() => Promise.all([dense.close(), hybrid.close()]));

const hybridStore = (idf: boolean) =>
  upstashVectorStore({
    index: { url: hybrid.url, token: hybrid.token },
    dimensions: 16,
    hybrid: true,
    idf,
    // A hybrid record needs a dense vector too; add() gets it from the embedder.
    embedder: mockEmbedder({ dimensions: 16 }),
  });

describeVectorStoreConformance({
  name: 'upstash-vector (dense index)',
  create: () => upstashVectorStore({ index: { url: dense.url, token: dense.token }, dimensions: 8 }),
  capabilities: { exact: false, keyword: false },
});

describeVectorStoreConformance({
  name: 'upstash-vector (hybrid index)',
  create: () => hybridStore(true),
  capabilities: { exact: false, keyword: true },
});

// Upstash documents its IDF as ln((N - n + 0.5) / (n + 0.5)), without Lucene's "+ 1": zero for a term in
// half of a namespace's records, negative above. These fixtures have 2 to 5 records; the run with
// idf: false below checks the same tests without IDF.
const idfOf = (n: number, total: number) =>
  `Upstash's IDF for a word in ${n} of ${total} records is ln(${total - n + 0.5}/${n + 0.5})`;
describeKeywordIndexConformance({
  name: 'upstash-vector sparse (hybrid index, IDF weighting)',
  create: () => hybridStore(true),
  capabilities: { stemming: true, bm25: true },
  skip: [
    {
      test: 'search matches any query term, documents with more of them first',
      reason: `${idfOf(2, 4)} = 0, so every score ties at 0 and the order is the order of insertion`,
    },
    {
      test: 'search returns at most topK matches, best first',
      reason: `${idfOf(5, 5)} < 0, so the record with the word most often ranks last`,
    },
    {
      test: 'longer documents score lower for the same term frequency',
      reason: `${idfOf(2, 2)} < 0, which reverses the order`,
    },
  ],
});

describeKeywordIndexConformance({
  name: 'upstash-vector sparse (hybrid index, idf: false)',
  create: () => hybridStore(false),
  // Without IDF, rarer terms do not weigh more: term frequency and length only.
  capabilities: { stemming: true, bm25: false },
});
