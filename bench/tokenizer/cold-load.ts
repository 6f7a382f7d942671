import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type TokenizerEncoding, tokenizerEncodings } from '@neptune/core/tokenizer';
import type { BenchmarkContext, BenchmarkTable, Cell } from '../lib/benchmark';
import { neptuneCandidate, type TokenizerCandidate, tokenizerCandidates } from './candidates';

const COLD_LOAD_RUNS = 5;

export interface ColdLoad {
  /** Loading the library's modules. */
  readonly importMs: number;
  /** Building the encoder and counting one sentence. */
  readonly firstCountMs: number;
  readonly totalMs: number;
  /** Resident memory added by the load, MiB. */
  readonly rssMiB: number;
}

function coldLoadScript(candidate: TokenizerCandidate, encoding: TokenizerEncoding): string {
  const { importCode, createCode } = candidate.coldLoad(encoding);
  return [
    'const rssBefore = process.memoryUsage().rss;',
    'const started = performance.now();',
    importCode,
    'const imported = performance.now();',
    createCode,
    "count('The quick brown fox jumps over the lazy dog.');",
    'const counted = performance.now();',
    'console.log(JSON.stringify({ importMs: imported - started, firstCountMs: counted - imported,',
    '  totalMs: counted - started, rssMiB: (process.memoryUsage().rss - rssBefore) / 2 ** 20 }));',
  ].join('\n');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * The first load of a library and encoding in a fresh `node` process, run `runs` times: the median of
 * each figure. Module resolution starts from `benchDirectory`, where all candidates are installed.
 */
export function measureColdLoad(
  candidate: TokenizerCandidate,
  encoding: TokenizerEncoding,
  benchDirectory: string,
  runs: number,
): ColdLoad {
  const script = coldLoadScript(candidate, encoding);
  // Without NODE_OPTIONS, so that no loader (tsx) inherited from this process slows the child down.
  const { NODE_OPTIONS: _ignored, ...environment } = process.env;
  const samples: ColdLoad[] = [];
  for (let run = 0; run < runs; run++) {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: benchDirectory,
      env: environment,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    samples.push(JSON.parse(output.trim().split('\n').pop()!) as ColdLoad);
  }
  return {
    importMs: median(samples.map((sample) => sample.importMs)),
    firstCountMs: median(samples.map((sample) => sample.firstCountMs)),
    totalMs: median(samples.map((sample) => sample.totalMs)),
    rssMiB: median(samples.map((sample) => sample.rssMiB)),
  };
}

/** Why the built package cannot be cold-loaded, if it cannot: the child process imports `dist`. */
function builtPackageProblem(rootDirectory: string): string | undefined {
  const built = join(rootDirectory, 'packages/core/dist/tokenizer/index.js');
  if (!existsSync(built)) return 'not built: run `pnpm --filter @neptune/core build` first';
  const sourceDirectory = join(rootDirectory, 'packages/core/src/tokenizer');
  const newestSourceMs = Math.max(
    ...readdirSync(sourceDirectory)
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => statSync(join(sourceDirectory, file)).mtimeMs),
  );
  return newestSourceMs > statSync(built).mtimeMs
    ? 'dist is older than src: rebuild @neptune/core'
    : undefined;
}

function coldLoadRow(
  candidate: TokenizerCandidate,
  encoding: TokenizerEncoding,
  load: ColdLoad,
): Record<string, Cell> {
  return {
    library: candidate.name,
    encoding,
    'import (ms)': load.importMs,
    'create + first count (ms)': load.firstCountMs,
    'total (ms)': load.totalMs,
    'RSS added (MiB)': load.rssMiB,
  };
}

export function coldLoadTable(context: BenchmarkContext): BenchmarkTable {
  context.log('cold loads in fresh processes');
  const builtProblem = builtPackageProblem(context.rootDirectory);
  const rows: Record<string, Cell>[] = [];
  for (const encoding of tokenizerEncodings) {
    for (const candidate of tokenizerCandidates) {
      if (candidate === neptuneCandidate && builtProblem !== undefined) continue;
      const load = measureColdLoad(candidate, encoding, context.benchDirectory, COLD_LOAD_RUNS);
      rows.push(coldLoadRow(candidate, encoding, load));
    }
  }
  return {
    title: `Cold load: first import, encoder and count in a fresh node process (median of ${COLD_LOAD_RUNS})`,
    rows,
    notes: [
      'tiktoken: the default entry (WASM with every encoding); js-tiktoken: lite entry + one rank file; gpt-tokenizer: gpt-tokenizer/encoding/<name>.',
      builtProblem === undefined
        ? '@neptune/core/tokenizer: the built package (dist, ESM); import is the subpath alone, the encoding loads in createTokenizer().'
        : `@neptune/core/tokenizer left out: ${builtProblem}.`,
    ],
  };
}
