/**
 * `pnpm bench:compare --base <rev> [--rounds 3] [--args "--no-peers"] [name ...]`: the benchmarks at an earlier commit and at
 * this checkout's HEAD, in one run, so that a change is judged against its own base on the same machine
 * under the same load. Each side is a git worktree of its own (so neither writes this checkout's
 * `bench/results`); the sides alternate within each round (base first in odd rounds, head first in even
 * ones) so that a load change drifts over both. For every table row, each time-like column (ms, µs, ns,
 * ops/s) is the median of the rounds, and head/base is printed beside it: below 1 is faster for times,
 * above 1 for rates. Needs the same lockfile on both sides or network to install the other.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const DEFAULT_BENCHMARKS = ['telemetry', 'observability', 'cache', 'context', 'assistant', 'retrieval'];
const PNPM = ['-y', 'pnpm@10.34.8'];

interface Table {
  readonly title: string;
  readonly rows: readonly Record<string, unknown>[];
}

const { values, positionals } = parseArgs({
  options: {
    base: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    out: { type: 'string' },
    // Passed to every benchmark on both sides, e.g. `--args=--no-peers` (retrieval without its peers).
    args: { type: 'string', default: '' },
  },
  allowPositionals: true,
});
if (values.base === undefined) {
  console.error(
    'usage: pnpm bench:compare --base <rev> [--rounds 3] [--out file.md] [--args "--no-peers"] [benchmark ...]',
  );
  process.exit(2);
}
const rounds = Number(values.rounds);
const benchArguments = values.args.split(/\s+/).filter((argument) => argument.length > 0);
const names = positionals.length > 0 ? positionals : DEFAULT_BENCHMARKS;
const root = resolve(import.meta.dirname, '..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

const sides = [
  { label: 'base' as const, rev: git('rev-parse', values.base) },
  { label: 'head' as const, rev: git('rev-parse', 'HEAD') },
].map((side) => ({ ...side, directory: mkdtempSync(join(tmpdir(), `neptune-bench-${side.label}-`)) }));

function prepare(side: (typeof sides)[number]): void {
  rmSync(side.directory, { recursive: true, force: true });
  git('worktree', 'add', '--detach', side.directory, side.rev);
  const install = spawnSync('npx', [...PNPM, 'install', '--frozen-lockfile', '--prefer-offline'], {
    cwd: side.directory,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (install.status !== 0) throw new Error(`install failed in ${side.directory}`);
}

function runBenchmark(side: (typeof sides)[number], name: string): Table[] {
  const run = spawnSync('npx', [...PNPM, 'bench', name, ...benchArguments], {
    cwd: side.directory,
    stdio: ['ignore', 'ignore', 'inherit'],
    // The worktrees live elsewhere, so the data sets' default (`../shared/data` beside the checkout) is
    // resolved from this checkout.
    env: {
      ...process.env,
      FORCE_COLOR: '0',
      NEPTUNE_DATA_DIR: process.env.NEPTUNE_DATA_DIR ?? resolve(root, '..', 'shared', 'data'),
    },
  });
  const resultPath = join(side.directory, 'bench', 'results', `${name}.json`);
  if (run.status !== 0 || !existsSync(resultPath)) {
    console.error(`${name} failed on ${side.label} (${side.rev.slice(0, 7)}); left out of this round`);
    return [];
  }
  return (JSON.parse(readFileSync(resultPath, 'utf8')) as { tables: Table[] }).tables;
}

/** Columns that measure time or rate: compared. Everything else in a row names it. */
const isMeasure = (column: string) => /\b(ms|µs|ns|ops\/s|p50|p95|median)\b|\((ms|µs|ns)/.test(column);
const isRate = (column: string) => /ops\/s/.test(column);

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Per benchmark, table, row and measure: each side's figures over the rounds. */
const samples = new Map<string, { base: number[]; head: number[] }>();
function record(name: string, side: 'base' | 'head', tables: Table[]): void {
  for (const table of tables) {
    for (const row of table.rows) {
      const key = Object.entries(row)
        .filter(([column, value]) => !isMeasure(column) && typeof value === 'string')
        .map(([, value]) => value)
        .join(' / ');
      for (const [column, value] of Object.entries(row)) {
        if (!isMeasure(column) || typeof value !== 'number' || !Number.isFinite(value)) continue;
        const id = [name, table.title, key, column].join('\u0000');
        const figures = samples.get(id) ?? { base: [], head: [] };
        samples.set(id, figures);
        figures[side].push(value);
      }
    }
  }
}

const loads: number[] = [];
try {
  for (const side of sides) prepare(side);
  for (let round = 1; round <= rounds; round++) {
    for (const name of names) {
      const order = round % 2 === 1 ? sides : [...sides].reverse();
      for (const side of order) {
        loads.push(loadavg()[0]!);
        console.error(`round ${round}/${rounds}: ${name} on ${side.label}`);
        record(name, side.label, runBenchmark(side, name));
      }
    }
  }
} finally {
  for (const side of sides) {
    spawnSync('git', ['worktree', 'remove', '--force', side.directory], { cwd: root });
  }
}

const lines = [
  `Benchmarks at ${sides[0]!.rev.slice(0, 7)} (base) and ${sides[1]!.rev.slice(0, 7)} (head), ${rounds} alternating rounds${benchArguments.length > 0 ? ` (each run with ${benchArguments.join(' ')})` : ''}, medians; load average ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)}.`,
  '',
  '| benchmark | table | row | measure | base | head | head/base |',
  '| --- | --- | --- | --- | ---: | ---: | ---: |',
];
for (const [id, figures] of samples) {
  const [name, title, key, column] = id.split('\u0000') as [string, string, string, string];
  const { base, head } = figures;
  if (base.length === 0 || head.length === 0) continue;
  const [b, h] = [median(base), median(head)];
  const ratio = b === 0 ? '' : (h / b).toFixed(2) + (isRate(column) ? ' (rate)' : '');
  const shown = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3));
  lines.push(
    `| ${name} | ${title.slice(0, 48)} | ${key} | ${column} | ${shown(b)} | ${shown(h)} | ${ratio} |`,
  );
}
const report = lines.join('\n');
console.log(report);
if (values.out) writeFileSync(values.out, `${report}\n`);
