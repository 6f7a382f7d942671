import { describeWithService, locateDataset, randomTestId } from '@neptune/core/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvalReport } from './eval-report';
import { type EvalCliIo, runEvalCli } from './run-eval-cli';

function captureIo(env: Record<string, string | undefined> = {}) {
  const output = { stdout: '', stderr: '' };
  const io: EvalCliIo = {
    stdout: { write: (text: string) => (output.stdout += text) },
    stderr: { write: (text: string) => (output.stderr += text), isTTY: false },
    cwd: process.cwd(),
    env,
  };
  return { io, output };
}

describe('neptune-eval --store', () => {
  it('refuses an unknown store, and a Postgres store without a database, saying what to pass', async () => {
    const unknown = captureIo();
    expect(await runEvalCli(['--data', '.', '--store', 'mongo'], unknown.io)).toBe(2);
    expect(unknown.output.stderr).toMatch(/store.*memory, postgres, pglite, upstash/);
    const noDatabase = captureIo();
    expect(await runEvalCli(['--data', '.', '--store', 'postgres'], noDatabase.io)).toBe(1);
    expect(noDatabase.output.stderr).toMatch(/--database-url postgres:\/\/… or set DATABASE_URL/);
  });
});

const scifact = locateDataset('scifact');

/**
 * The evaluation of a user's own store, end to end: SciFact ingested through the knowledge base into a
 * real Postgres (postgresKeywordIndex, BM25 in SQL) and searched through `retrieve`. It must score what
 * the memory index scores: Anserini's nDCG@10 of 0.6789.
 */
describeWithService('DATABASE_URL', 'neptune-eval --store postgres on BEIR SciFact', (url) => {
  const table = randomTestId('eval_').toLowerCase();
  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const suffix of ['', '_postings', '_df', '_scopes'])
      await client.query(`DROP TABLE IF EXISTS "${table}${suffix}"`);
    await client.end();
  });

  it.skipIf(scifact === undefined)(
    "scores bm25 on Postgres at Anserini's nDCG@10 of 0.6789, within 0.005, and names the store",
    async () => {
      const { io, output } = captureIo();
      const argv = ['--data', scifact!, '--store', 'postgres', '--database-url', url, '--table', table];
      expect(
        await runEvalCli([...argv, '--config', 'bm25', '--no-baselines', '--json'], io),
        output.stderr,
      ).toBe(0);
      const report = JSON.parse(output.stdout) as EvalReport;
      expect(report.store).toMatch(new RegExp(`^postgres \\(.*table ${table}\\)$`));
      const [bm25] = report.configurations;
      expect(bm25!.queries).toBe(300);
      expect(bm25!.failedDocuments).toBe(0);
      expect(Math.abs(bm25!.metrics.ndcgAt10 - 0.6789)).toBeLessThanOrEqual(0.005);
    },
    // 5,183 documents ingested one transaction each (the knowledge base writes per document).
    300_000,
  );
});
