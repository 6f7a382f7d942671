export interface MeasureOptions {
  /** Untimed calls first, so that the timed ones run JIT-compiled code. Default 5. */
  readonly warmupIterations?: number;
  /** Timed samples. Default 30. */
  readonly iterations?: number;
  /** Calls per sample, for operations too fast to time one at a time. Figures are per call. Default 1. */
  readonly batchSize?: number;
  /** Runs before every sample, untimed: clearing a cache, say. */
  readonly beforeEach?: () => unknown;
}

/** Per-call figures, in nanoseconds; `opsPerSecond` is 1e9 / median. */
export interface Measurement {
  readonly samples: number;
  readonly batchSize: number;
  readonly medianNs: number;
  readonly p95Ns: number;
  readonly meanNs: number;
  readonly minNs: number;
  readonly maxNs: number;
  readonly opsPerSecond: number;
}

/** Nearest-rank percentile of sorted values, `fraction` in (0, 1]. */
function percentile(sortedValues: readonly number[], fraction: number): number {
  return sortedValues[Math.max(0, Math.ceil(fraction * sortedValues.length) - 1)] ?? Number.NaN;
}

/** Median, p95, mean, min, max and ops/s of samples that each time `batchSize` calls. */
export function summarize(samplesNs: readonly number[], batchSize = 1): Measurement {
  const perCall = samplesNs.map((sample) => sample / batchSize).sort((left, right) => left - right);
  const meanNs = perCall.reduce((sum, value) => sum + value, 0) / perCall.length;
  return {
    samples: perCall.length,
    batchSize,
    medianNs: percentile(perCall, 0.5),
    p95Ns: percentile(perCall, 0.95),
    meanNs,
    minNs: perCall[0] ?? Number.NaN,
    maxNs: perCall[perCall.length - 1] ?? Number.NaN,
    // From the median, not the mean: one preempted sample on a busy machine would otherwise drag it down.
    opsPerSecond: 1e9 / percentile(perCall, 0.5),
  };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

// Results are written here so that the JIT cannot prove them unused and drop the call being measured.
export let sink: unknown;

type BatchRunner = (
  operation: (iteration: number) => unknown,
  iteration: number,
  batchSize: number,
) => unknown;

/**
 * A fresh copy of the timed loop for every `measure()` call. One loop shared by every measured operation
 * would see many functions at one call site; V8 then stops inlining them (the site goes megamorphic),
 * which adds a few nanoseconds to every operation measured after the first and skews small figures.
 */
let runnersCreated = 0;

function createBatchRunner(): BatchRunner {
  runnersCreated++;
  // The numbered comment makes each source unique: V8 caches compiled sources, and a cache hit could
  // hand back a function whose call-site feedback is shared with the previous runner.
  return new Function(
    'operation',
    'iteration',
    'batchSize',
    `// runner ${runnersCreated}\nlet result; for (let call = 0; call < batchSize; call++) result = operation(iteration); return result;`,
  ) as BatchRunner;
}

/**
 * Times `operation` with `process.hrtime.bigint()`: warm-up calls, then `iterations` samples of
 * `batchSize` calls each. An operation that returns a promise is awaited, one call at a time; a
 * synchronous one is timed without any await, which would otherwise dominate sub-microsecond figures.
 */
export async function measure(
  operation: (iteration: number) => unknown,
  options: MeasureOptions = {},
): Promise<Measurement> {
  const { warmupIterations = 5, iterations = 30, batchSize = 1, beforeEach } = options;
  const first = operation(0);
  const isAsync = isPromiseLike(first);
  if (isAsync) await first;
  const runBatch = createBatchRunner();
  const runAsyncBatch = async (iteration: number) => {
    for (let call = 0; call < batchSize; call++) sink = await operation(iteration);
  };
  for (let iteration = 1; iteration < warmupIterations; iteration++) {
    await beforeEach?.();
    if (isAsync) await runAsyncBatch(iteration);
    else sink = runBatch(operation, iteration, batchSize);
  }
  const samplesNs: number[] = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    await beforeEach?.();
    const start = process.hrtime.bigint();
    if (isAsync) await runAsyncBatch(iteration);
    else sink = runBatch(operation, iteration, batchSize);
    samplesNs.push(Number(process.hrtime.bigint() - start));
  }
  return summarize(samplesNs, batchSize);
}
