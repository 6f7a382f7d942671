/** A table cell. Numbers stay raw here (and in the JSON); the printer rounds them for display. */
export type Cell = string | number | boolean | null;

export interface BenchmarkTable {
  readonly title: string;
  /** One object per row; keys are the column headers, in order. Put units in the headers: `median (µs)`. */
  readonly rows: ReadonlyArray<Readonly<Record<string, Cell>>>;
  /** Printed under the table: what was measured, caveats, references. */
  readonly notes?: readonly string[];
}

export interface BenchmarkOutcome {
  readonly tables: readonly BenchmarkTable[];
  /** Extra figures for the JSON file only (raw samples, per-item details). */
  readonly figures?: Readonly<Record<string, unknown>>;
  /** Checks that did not hold, such as results that differ from a reference. The run then exits non-zero. */
  readonly failures?: readonly string[];
}

export interface BenchmarkContext {
  readonly rootDirectory: string;
  readonly benchDirectory: string;
  /** Shared data sets (SciFact, ...): `NEPTUNE_DATA_DIR`, else `../shared/data` beside the repository. */
  readonly dataDirectory: string;
  /** Progress for the person watching, on stderr, so that stdout holds only the tables. */
  log(message: string): void;
}

export interface Benchmark {
  /** The name `pnpm bench <name>` selects; the same as the folder or file name. */
  readonly name: string;
  readonly description: string;
  run(context: BenchmarkContext): Promise<BenchmarkOutcome>;
}

/** Identity, for the types: `export default defineBenchmark({ name, description, run })`. */
export function defineBenchmark(benchmark: Benchmark): Benchmark {
  return benchmark;
}

export function isBenchmark(value: unknown): value is Benchmark {
  const candidate = value as Partial<Benchmark> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    typeof candidate.description === 'string' &&
    typeof candidate.run === 'function'
  );
}
