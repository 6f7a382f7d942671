/**
 * Runs the benchmarks: `pnpm bench` runs them all, `pnpm bench tokenizer telemetry` the ones named.
 * A benchmark is `bench/<name>/index.ts` or `bench/<name>.ts` with a default `defineBenchmark({...})`.
 * Each prints its tables and writes `bench/results/<name>.json`; any failure makes the exit code 1.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchmarkContext, type BenchmarkOutcome, isBenchmark } from './lib/benchmark';
import { describeMachine, machineInfo } from './lib/machine-info';
import { formatTable } from './lib/print-table';

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const rootDirectory = resolve(benchDirectory, '..');
const resultsDirectory = join(benchDirectory, 'results');
const NOT_BENCHMARKS = new Set(['lib', 'results', 'node_modules', 'run.ts']);

/** Benchmark name to module path, from the folders and files of `bench/`. */
function discoverBenchmarks(): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(benchDirectory, { withFileTypes: true })) {
    if (NOT_BENCHMARKS.has(entry.name) || entry.name.startsWith('.')) continue;
    if (entry.isDirectory() && existsSync(join(benchDirectory, entry.name, 'index.ts'))) {
      found.set(entry.name, join(benchDirectory, entry.name, 'index.ts'));
    } else if (entry.isFile() && entry.name.endsWith('.ts') && !/\.(test|d)\.ts$/.test(entry.name)) {
      found.set(basename(entry.name, '.ts'), join(benchDirectory, entry.name));
    }
  }
  return new Map([...found].sort(([left], [right]) => left.localeCompare(right)));
}

function writeResult(name: string, result: Record<string, unknown>): string {
  mkdirSync(resultsDirectory, { recursive: true });
  const path = join(resultsDirectory, `${name}.json`);
  // Written whole, then renamed, so that an interrupted run never leaves half a file to compare against.
  const temporaryPath = join(resultsDirectory, `${name}.tmp.json`);
  writeFileSync(temporaryPath, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(temporaryPath, path);
  return path;
}

const strict = process.argv.includes('--strict');

async function runOne(name: string, modulePath: string, context: BenchmarkContext): Promise<boolean> {
  const benchmark = ((await import(pathToFileURL(modulePath).href)) as { default?: unknown }).default;
  if (!isBenchmark(benchmark) || benchmark.name !== name) {
    console.error(
      `${modulePath} must export default defineBenchmark({ name: '${name}', description, run }).`,
    );
    return false;
  }
  console.log(`\n## ${benchmark.name}: ${benchmark.description}\n`);
  const startedAt = new Date();
  const start = performance.now();
  let outcome: BenchmarkOutcome;
  try {
    outcome = await benchmark.run(context);
  } catch (error) {
    console.error(`Benchmark ${name} failed:`, error);
    return false;
  }
  const durationMs = Math.round(performance.now() - start);
  for (const table of outcome.tables) console.log(`${formatTable(table)}\n`);
  for (const failure of outcome.failures ?? []) console.log(`GOAL MISSED: ${failure}`);
  const path = writeResult(name, {
    name,
    description: benchmark.description,
    date: startedAt.toISOString(),
    durationMs,
    machine: machineInfo(),
    command: `pnpm bench ${name}`,
    tables: outcome.tables,
    figures: outcome.figures ?? {},
    failures: outcome.failures ?? [],
  });
  context.log(`${name}: ${durationMs} ms, written to ${path}`);
  // A missed goal is a result to report, not a crash; `--strict` turns it into a failing exit code (for gates).
  return !strict || (outcome.failures ?? []).length === 0;
}

async function main(): Promise<number> {
  const available = discoverBenchmarks();
  // Flags are `--name=value`, except `--store <kind>`, whose value is not a benchmark name.
  const requested = process.argv
    .slice(2)
    .filter((argument, index, all) => !argument.startsWith('-') && all[index - 1] !== '--store');
  const unknown = requested.filter((name) => !available.has(name));
  if (unknown.length > 0) {
    console.error(
      `Unknown benchmark: ${unknown.join(', ')}. Available: ${[...available.keys()].join(', ')}.`,
    );
    return 1;
  }
  const context: BenchmarkContext = {
    rootDirectory,
    benchDirectory,
    dataDirectory: process.env.NEPTUNE_DATA_DIR ?? resolve(rootDirectory, '../shared/data'),
    log: (message) => console.error(`[bench] ${message}`),
  };
  console.log(`Machine: ${describeMachine(machineInfo())}`);
  let failed = 0;
  for (const name of requested.length > 0 ? requested : available.keys()) {
    if (!(await runOne(name, available.get(name)!, context))) failed++;
  }
  if (failed > 0) console.error(`${failed} benchmark(s) failed.`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
