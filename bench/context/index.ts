/**
 * `pnpm bench context`: the context pipeline (gather + assemble, @neptune/context through the example
 * app's sources) against the optimization plan's naive baseline, on the real PostgreSQL at DATABASE_URL
 * and Redis at REDIS_URL. Flags: `--scale=N` (rows per workspace × N), `--requests=N`, `--naive-requests=N`,
 * `--seed=N`. Writes bench/results/context.json.
 */
import { type Cache, createCache } from '@neptune/cache';
import { redisKeyValueStore } from '@neptune/cache/redis';
import { createTelemetryChannel } from '@neptune/core';
import { createTokenizer } from '@neptune/core/tokenizer';
import { createExampleApp, type ExampleApp } from '@neptune/examples-context-sources';
import { defineBenchmark } from '../lib/benchmark';
import { contextTables, type GoalCheck } from './context-tables';
import { generateDataset } from './generate-dataset';
import { dropSchemas, loadDataset } from './load-dataset';
import { type BenchRequest, requestMix } from './request-mix';
import { runNaive } from './run-naive';
import { runNeptune } from './run-neptune';

function flag(name: string, fallback: number): number {
  const argument = process.argv.find((value) => value.startsWith(`--${name}=`));
  const value = argument === undefined ? Number.NaN : Number(argument.slice(name.length + 3));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export default defineBenchmark({
  name: 'context',
  description:
    'Context fetch and prompt size: @neptune/context (cached, bounded, indexed, pruned) against the plan’s naive baseline, on real Postgres and Redis',
  async run(context) {
    const settings = {
      seed: flag('seed', 42),
      scale: flag('scale', 1),
      requests: flag('requests', 2_000),
      naiveRequests: flag('naive-requests', 200),
      zipfExponent: 1.1,
      writeRate: 0.05,
    };
    const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const schemas = { naiveSchema: `bench_ctx_naive_${run}`, indexedSchema: `bench_ctx_neptune_${run}` };
    const now = Date.now();

    const telemetry = createTelemetryChannel();
    let queries = 0;
    telemetry.on('db-query', () => queries++);
    const slowQueries: string[] = [];
    const logger = { warn: (message: string) => slowQueries.push(message) };
    const store = redisKeyValueStore({ url: redisUrl, prefix: `neptune-bench-context-${run}:` });
    const app = (searchPath: string, cache: Cache) =>
      createExampleApp({ databaseUrl, searchPath, cache, telemetry, logger });
    const naive = app(schemas.naiveSchema, createCache());
    const neptune = app(schemas.indexedSchema, createCache({ store, telemetry }));
    try {
      // Only the users and counts outlive loading: a heap still holding every generated row would make
      // each garbage collection during the measured requests slower.
      const { users, counts } = await generateAndLoad(naive.pool, { ...settings, now }, schemas, context.log);
      const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
      const mix = { exponent: settings.zipfExponent, writeRate: settings.writeRate };
      const requests = requestMix(users, { ...mix, seed: settings.seed + 1, count: settings.requests });
      // Open every pool connection first, so that neither side pays for connecting inside a request.
      await Promise.all(
        [naive, neptune].flatMap((each) => Array.from({ length: 10 }, () => each.pool.query('SELECT 1'))),
      );

      // Neptune first: the baseline's 60,000-token prompts leave garbage whose collection would land in
      // Neptune's millisecond timings, while a collection hardly shows in the baseline's.
      const warmUpRequests = requestMix(users, { ...mix, seed: settings.seed + 2, count: 50 });
      await warmUp(databaseUrl, redisUrl, schemas.indexedSchema, warmUpRequests);
      context.log(`context: neptune, ${settings.requests} requests from a cold cache`);
      const neptuneSamples = await runNeptune(neptune, requests, () => queries);
      context.log(`context: naive baseline, ${settings.naiveRequests} requests`);
      await runNaive(naive, requests.slice(0, 10), tokenizer, () => queries);
      const naiveSamples = await runNaive(
        naive,
        requests.slice(0, settings.naiveRequests),
        tokenizer,
        () => queries,
      );

      const { tables, goals, figures } = contextTables({ naiveSamples, neptuneSamples, settings, counts });
      return {
        tables,
        figures: {
          ...figures,
          settings,
          counts,
          cache: neptune.gatherer.cache.stats(),
          slowQueries: slowQueries.length,
        },
        failures: goals
          .filter((goal: GoalCheck) => !goal.met)
          .map((goal) => `${goal.goal}: measured ${goal.measured}`),
      };
    } finally {
      await dropSchemas(naive.pool, [schemas.naiveSchema, schemas.indexedSchema]);
      await dropRedisPrefix(store, `neptune-bench-context-${run}:`);
      await Promise.all([naive.close(), neptune.close(), store.close()]);
    }
  },
});

async function generateAndLoad(
  pool: ExampleApp['pool'],
  options: { seed: number; scale: number; now: number },
  schemas: { naiveSchema: string; indexedSchema: string },
  log: (message: string) => void,
) {
  log(`context: generating the data set (seed ${options.seed}, scale ${options.scale})`);
  const dataset = generateDataset(options);
  const startedAt = performance.now();
  await loadDataset(pool, dataset, schemas);
  log(`context: loaded ${JSON.stringify(dataset.counts)} in ${Math.round(performance.now() - startedAt)} ms`);
  return { users: dataset.users, counts: dataset.counts };
}

/** Runs requests on a throwaway cache, so the measured run starts with a cold cache but compiled code. */
async function warmUp(
  databaseUrl: string,
  redisUrl: string,
  schema: string,
  requests: BenchRequest[],
): Promise<void> {
  const prefix = `neptune-bench-context-warmup-${Date.now().toString(36)}:`;
  const store = redisKeyValueStore({ url: redisUrl, prefix });
  const app = createExampleApp({ databaseUrl, searchPath: schema, cache: createCache({ store }) });
  try {
    // Reads only: the writes of the measured run are its own.
    await runNeptune(
      app,
      requests.map((request) => ({ ...request, writeBefore: false })),
      () => 0,
    );
  } finally {
    await dropRedisPrefix(store, prefix);
    await Promise.all([app.close(), store.close()]);
  }
}

async function dropRedisPrefix(store: ReturnType<typeof redisKeyValueStore>, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await store.client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await store.client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
