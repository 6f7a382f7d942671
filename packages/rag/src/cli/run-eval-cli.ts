import { existsSync, statSync } from 'node:fs';
import { ConfigurationError, NeptuneError } from '@neptune/core';
import { loadBeirDataset } from '../evaluation/load-beir-dataset';
import { EVAL_USAGE, parseEvalArguments } from './eval-arguments';
import { buildEvalReport } from './eval-report';
import { openEvalStores } from './eval-stores';
import { type ConfigurationResult, evaluateConfiguration } from './evaluate-configuration';
import { formatEvalTable } from './format-eval-table';
import { type ProgressStream, progressBar } from './progress-bar';
import { resolveEvalEmbedder } from './resolve-eval-embedder';
import { RETRIEVAL_CONFIGURATIONS } from './retrieval-configurations';

export interface EvalCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: ProgressStream;
  /** Where relative `--data` paths start. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The process's streams; relative paths start where the user ran the command (pnpm's `INIT_CWD`). */
export function processIo(): EvalCliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.env.INIT_CWD || process.cwd(),
    env: process.env,
  };
}

function checkDataDirectory(directory: string, given: string): void {
  if (existsSync(directory) && statSync(directory).isDirectory()) return;
  throw new ConfigurationError({
    message: `--data ${given}: there is no folder at ${directory}. Pass a BEIR folder holding corpus.jsonl, queries.jsonl and qrels/test.tsv (e.g. ../shared/data/scifact).`,
    details: { path: directory },
  });
}

function describeError(error: unknown): string {
  if (NeptuneError.isInstance(error)) return `${error.name}: ${error.message}`;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * `neptune-eval`: evaluates retrieval configurations on a BEIR folder and prints a table (or JSON with
 * `--json`) on stdout, progress on stderr. Returns the exit code: 0, 1 when the run failed, 2 for bad
 * arguments.
 */
export async function runEvalCli(argv: readonly string[], io: EvalCliIo = processIo()): Promise<number> {
  let parsed: ReturnType<typeof parseEvalArguments>;
  try {
    parsed = parseEvalArguments(argv, io.cwd);
  } catch (error) {
    io.stderr.write(`${describeError(error)}\n\n${EVAL_USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(`${EVAL_USAGE}\n`);
    return 0;
  }
  const options = parsed.arguments;
  try {
    checkDataDirectory(options.dataDirectory, options.dataArgument);
    const stores = await openEvalStores({
      kind: options.store,
      databaseUrl: options.databaseUrl,
      table: options.table,
      env: io.env,
    });
    const results: ConfigurationResult[] = [];
    let dataset: Awaited<ReturnType<typeof loadBeirDataset>>;
    try {
      dataset = await loadBeirDataset(options.dataDirectory, { split: options.split });
      const embedder = await resolveEvalEmbedder({ kind: options.embedder, env: io.env });
      const progress = progressBar(io.stderr);
      for (const name of options.configurations) {
        const configuration = RETRIEVAL_CONFIGURATIONS.get(name)!;
        results.push(
          await evaluateConfiguration({ configuration, dataset, context: { embedder }, progress, stores }),
        );
      }
    } finally {
      await stores.close();
    }
    const report = buildEvalReport({
      store: stores.description,
      dataset: {
        path: options.dataDirectory,
        split: options.split,
        documents: dataset.corpus.length,
        judgedQueries: dataset.qrels.size,
      },
      results,
      addedBaselines: options.addedBaselines,
    });
    io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatEvalTable(report)}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`${describeError(error)}\n`);
    return 1;
  }
}
