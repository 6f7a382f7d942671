import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateDataset, startOpenAICompatibleServer } from '@neptune/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalReport } from './eval-report';
import { RETRIEVAL_CONFIGURATIONS } from './retrieval-configurations';
import { type EvalCliIo, runEvalCli } from './run-eval-cli';

/**
 * A BEIR folder small enough to score by hand. "d6" comes first so that the naive count, which keeps
 * insertion order on ties, ranks "healthy" above "health" for q4; query "d2" shares its id with a
 * document, which must be left out of its own ranking.
 */
const corpus = [
  { _id: 'd6', title: 'Diet', text: 'A healthy diet.' },
  { _id: 'd1', title: 'Vitamin D', text: 'Vitamin D deficiency weakens bones.' },
  { _id: 'd2', title: 'Iron', text: 'Iron supplements treat anaemia.' },
  { _id: 'd3', title: 'Sleep', text: 'Sleep loss impairs memory.' },
  { _id: 'd4', title: 'Exercise', text: 'Exercise improves heart health.' },
  { _id: 'd5', title: 'Anaemia in children', text: 'Iron tablets help anaemic children.' },
];
const queries = [
  { _id: 'q1', text: 'vitamin D deficiency' },
  { _id: 'q2', text: 'sleep and memory' },
  { _id: 'd2', text: 'iron anaemia' },
  { _id: 'q4', text: 'health' },
];
const qrels =
  'query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq1\td4\t1\r\nq2\td3\t2\r\nd2\td5\t1\r\nq4\td4\t1\r\n';

// q1 finds only d1 of its two relevant documents: DCG 1, ideal DCG 1 + 1/log2(3).
const q1Ndcg = 1 / (1 + 1 / Math.log2(3));
// The naive count puts d6 ("healthy") above d4 for q4: d4 at rank 2.
const q4NaiveNdcg = 1 / Math.log2(3);

async function writeBeirFolder(directory: string, files: { queries?: string; qrels?: string } = {}) {
  await mkdir(join(directory, 'qrels'), { recursive: true });
  const lines = (records: readonly object[]) => records.map((record) => JSON.stringify(record)).join('\n');
  await writeFile(join(directory, 'corpus.jsonl'), lines(corpus));
  await writeFile(join(directory, 'queries.jsonl'), files.queries ?? lines(queries));
  await writeFile(join(directory, 'qrels', 'test.tsv'), files.qrels ?? qrels);
}

function captureIo(cwd: string, env: Record<string, string | undefined> = {}) {
  const output = { stdout: '', stderr: '' };
  const io: EvalCliIo = {
    stdout: { write: (text: string) => (output.stdout += text) },
    stderr: { write: (text: string) => (output.stderr += text), isTTY: false },
    cwd,
    env,
  };
  return { io, output };
}

describe('neptune-eval', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'neptune-eval-'));
    await writeBeirFolder(join(root, 'tiny'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('scores bm25 and the keyword-naive baseline as computed by hand, resolving --data against cwd', async () => {
    const { io, output } = captureIo(root);
    const code = await runEvalCli(['--data', 'tiny', '--config', 'bm25', '--json'], io);
    expect(output.stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    const report = JSON.parse(output.stdout) as EvalReport;
    expect(report.dataset).toEqual({
      path: join(root, 'tiny'),
      split: 'test',
      documents: 6,
      judgedQueries: 4,
    });
    expect(report.configurations.map((row) => [row.name, row.addedAsBaseline])).toEqual([
      ['keyword-naive', true],
      ['bm25', false],
    ]);
    const [naive, bm25] = report.configurations;
    expect(bm25!.metrics.ndcgAt10).toBeCloseTo((q1Ndcg + 1 + 1 + 1) / 4, 10);
    expect(bm25!.metrics.recallAt10).toBeCloseTo((0.5 + 1 + 1 + 1) / 4, 10);
    expect(bm25!.metrics.recallAt100).toBeCloseTo(0.875, 10);
    expect(bm25!.metrics.mrrAt10).toBe(1);
    expect(naive!.metrics.ndcgAt10).toBeCloseTo((q1Ndcg + 1 + 1 + q4NaiveNdcg) / 4, 10);
    expect(naive!.metrics.mrrAt10).toBeCloseTo((1 + 1 + 1 + 0.5) / 4, 10);
    expect(bm25!.relativeChange['keyword-naive']!.ndcgAt10).toBeCloseTo(
      bm25!.metrics.ndcgAt10 / naive!.metrics.ndcgAt10 - 1,
      10,
    );
    expect(bm25!.relativeChange.bm25!.mrrAt10).toBe(0);
    expect(naive!.relativeChange.bm25!.mrrAt10).toBeCloseTo(-0.125, 10);
    expect(bm25).toMatchObject({ documents: 6, chunks: 6, queries: 4, failedDocuments: 0 });
    expect(bm25!.latencyMs.p95).toBeGreaterThanOrEqual(bm25!.latencyMs.p50);
    expect(bm25!.indexBuildMs).toBeGreaterThan(0);
    // Progress goes to stderr, one line per finished phase when stderr is not a terminal.
    expect(output.stderr).toMatch(/^bm25 indexing: 6 documents \(6 chunks\) in [\d.]+ s$/m);
    expect(output.stderr).toMatch(/^bm25 querying: 4 queries, p50 [\d.]+ ms, p95 [\d.]+ ms$/m);
  });

  it('runs every configuration and prints a table with the change against both baselines', async () => {
    const { io, output } = captureIo(root);
    expect(await runEvalCli(['--data', join(root, 'tiny')], io)).toBe(0);
    const lines = output.stdout.split('\n');
    const rowNames = lines
      .filter(
        (line) => line.startsWith('| ') && !line.startsWith('| configuration') && !line.startsWith('| ---'),
      )
      .map((line) => line.split('|')[1]!.trim());
    expect(rowNames).toEqual([...RETRIEVAL_CONFIGURATIONS.keys()]);
    expect(output.stdout).toMatch(/\| nDCG@10 vs keyword-naive \| nDCG@10 vs bm25 \|/);
    const bm25Row = lines.find((line) => line.startsWith('| bm25 '))!;
    expect(bm25Row).toMatch(/\| +\+11\.4% \| +\+0\.0% \|$/);
    expect(output.stdout).toMatch(/Embedders: offline\/neptune-hash-v1-1536\/1536\./);
  }, 30_000);

  it('refuses an unknown configuration and lists the known ones', async () => {
    const { io, output } = captureIo(root);
    expect(await runEvalCli(['--data', 'tiny', '--config', 'bm25,bm52'], io)).toBe(2);
    expect(output.stderr).toContain('unknown configuration "bm52"');
    expect(output.stderr).toContain(`known: ${[...RETRIEVAL_CONFIGURATIONS.keys()].join(', ')}`);
    expect(output.stdout).toBe('');
  });

  it('refuses a missing --data, an unknown option and a bad --embedder with exit code 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--config', 'bm25'], /data: is required: pass --data <folder>/],
      [['--data', 'tiny', '--top', '5'], /Unknown option '--top'.*--help/],
      [['--data', 'tiny', '--embedder', 'cohere'], /embedder: must be auto, offline or openai/],
    ];
    for (const [argv, message] of cases) {
      const { io, output } = captureIo(root);
      expect(await runEvalCli(argv, io)).toBe(2);
      expect(output.stderr).toMatch(message);
    }
  });

  it('says which folder is missing, and which file, with exit code 1', async () => {
    const missing = captureIo(root);
    expect(await runEvalCli(['--data', 'nowhere'], missing.io)).toBe(1);
    expect(missing.output.stderr).toContain(
      `ConfigurationError: --data nowhere: there is no folder at ${join(root, 'nowhere')}`,
    );

    await mkdir(join(root, 'empty'));
    const empty = captureIo(root);
    expect(await runEvalCli(['--data', 'empty', '--config', 'bm25'], empty.io)).toBe(1);
    expect(empty.output.stderr).toMatch(/Cannot read .*corpus\.jsonl \(ENOENT\)/);
  });

  it('refuses qrels that judge a query the queries file lacks', async () => {
    await writeBeirFolder(join(root, 'orphan'), { qrels: `${qrels}q9\td1\t1\n` });
    const { io, output } = captureIo(root);
    expect(await runEvalCli(['--data', 'orphan', '--config', 'bm25', '--no-baselines'], io)).toBe(1);
    expect(output.stderr).toContain('Query "q9" is judged in the qrels but missing from queries.jsonl');
  });

  it('asks for a key when --embedder openai is forced without OPENAI_API_KEY', async () => {
    const { io, output } = captureIo(root, {});
    expect(await runEvalCli(['--data', 'tiny', '--embedder', 'openai', '--config', 'vector'], io)).toBe(1);
    expect(output.stderr).toContain('--embedder openai needs an API key: set OPENAI_API_KEY');
  });

  it('embeds with OpenAI when OPENAI_API_KEY is set, and keeps keyword-only configurations offline', async () => {
    const server = await startOpenAICompatibleServer();
    try {
      const env = { OPENAI_API_KEY: 'test', OPENAI_BASE_URL: server.url };
      const keywordOnly = captureIo(root, env);
      expect(
        await runEvalCli(['--data', 'tiny', '--config', 'bm25', '--no-baselines', '--json'], keywordOnly.io),
      ).toBe(0);
      expect(server.requests).toHaveLength(0);

      const { io, output } = captureIo(root, env);
      expect(await runEvalCli(['--data', 'tiny', '--config', 'vector', '--no-baselines', '--json'], io)).toBe(
        0,
      );
      const [vector] = (JSON.parse(output.stdout) as EvalReport).configurations;
      expect(vector!.embedder).toBe('openai/text-embedding-3-small/1536');
      expect(server.requests.every((request) => request.path === '/v1/embeddings')).toBe(true);
      // The corpus in one batch, then each of the four queries.
      expect(server.requests).toHaveLength(5);
    } finally {
      await server.close();
    }
  });

  it('prints the usage with --help', async () => {
    const { io, output } = captureIo(root);
    expect(await runEvalCli(['--help'], io)).toBe(0);
    expect(output.stdout).toMatch(/^Usage: neptune-eval --data <beir-folder>/);
  });
});

const scifact = locateDataset('scifact');

describe.skipIf(scifact === undefined)('neptune-eval on BEIR SciFact', () => {
  it("scores bm25 at Anserini's published nDCG@10 of 0.6789, within 0.005", async () => {
    const { io, output } = captureIo(process.cwd());
    expect(await runEvalCli(['--data', scifact!, '--config', 'bm25', '--no-baselines', '--json'], io)).toBe(
      0,
    );
    const [bm25] = (JSON.parse(output.stdout) as EvalReport).configurations;
    expect(bm25!.queries).toBe(300);
    expect(Math.abs(bm25!.metrics.ndcgAt10 - 0.6789)).toBeLessThanOrEqual(0.005);
  }, 60_000);
});
