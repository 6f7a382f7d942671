/**
 * `pnpm bench cache`: @neptune/cache against BentoCache in the same run, on the same Redis with the same
 * ioredis settings: memory and Redis hits, concurrent misses, and Redis killed midway through a run.
 * `pnpm bench cache --quick` for fewer rounds.
 */
import { Redis } from 'ioredis';
import { type BenchmarkContext, type BenchmarkTable, defineBenchmark } from '../lib/benchmark';
import type { Measurement } from '../lib/measure';
import { bento, type Contender, contextValue, neptune, redisClientOptions } from './contenders';
import { redisServerAvailable } from './disposable-redis';
import { interleavedLatency, interleavedThroughput } from './interleave';
import { type OutageResult, REQUEST_DEADLINE_MS, runOutage } from './outage';

const random = () => Math.random().toString(36).slice(2, 8);
const loadContext = async () => contextValue;

async function warm(contenders: Record<string, Contender>): Promise<void> {
  for (const contender of Object.values(contenders)) await contender.getOrSet('hot', loadContext);
}

async function closeAll(contenders: Record<string, Contender>): Promise<void> {
  for (const contender of Object.values(contenders)) await contender.close();
}

async function memoryHits(redisUrl: string, quick: boolean): Promise<Record<string, Measurement>> {
  const contenders = {
    'neptune (memory store)': neptune({}),
    'neptune (memory tier over redis)': neptune({
      redisUrl,
      prefix: `neptune-bench-${random()}:`,
      memoryTier: true,
    }),
    'bentocache (memory)': bento({ memory: true }, { prefix: `bento-bench-${random()}` }),
    'bentocache (memory tier over redis)': bento(
      { memory: true, redisUrl },
      { prefix: `bento-bench-${random()}` },
    ),
  };
  await warm(contenders);
  const results = await interleavedThroughput(
    Object.fromEntries(
      Object.entries(contenders).map(([name, cache]) => [name, () => cache.getOrSet('hot', loadContext)]),
    ),
    { rounds: quick ? 6 : 30, batch: 2_000, warmup: 5_000 },
  );
  await closeAll(contenders);
  return results;
}

async function redisHits(redisUrl: string, quick: boolean): Promise<Record<string, Measurement>> {
  const raw = new Redis(redisUrl, redisClientOptions);
  const rawKey = `raw-bench-${random()}`;
  await raw.set(rawKey, JSON.stringify(contextValue), 'PX', 600_000);
  const caches = {
    neptune: neptune({ redisUrl, prefix: `neptune-bench-${random()}:` }),
    bentocache: bento({ redisUrl }, { prefix: `bento-bench-${random()}` }),
  };
  await warm(caches);
  const results = await interleavedLatency(
    {
      'raw ioredis GET': () => raw.get(rawKey),
      'raw ioredis GET + JSON.parse': async () => JSON.parse((await raw.get(rawKey)) as string),
      'neptune (redis)': () => caches.neptune.getOrSet('hot', loadContext),
      'bentocache (redis)': () => caches.bentocache.getOrSet('hot', loadContext),
    },
    { rounds: quick ? 10 : 40, batch: 250, warmup: 2_000 },
  );
  await raw.del(rawKey);
  raw.disconnect();
  await closeAll(caches);
  return results;
}

interface MissOutcome {
  readonly contender: string;
  readonly concurrent: number;
  readonly loaderCalls: number;
  readonly wallMs: number;
}

async function concurrentMisses(redisUrl: string): Promise<MissOutcome[]> {
  const outcomes: MissOutcome[] = [];
  for (const concurrent of [100, 10_000]) {
    const caches = {
      neptune: neptune({ redisUrl, prefix: `neptune-bench-${random()}:` }),
      bentocache: bento({ redisUrl }, { prefix: `bento-bench-${random()}` }),
    };
    for (const [contender, cache] of Object.entries(caches)) {
      let loaderCalls = 0;
      const loader = async () => {
        loaderCalls++;
        await new Promise((resolve) => setTimeout(resolve, 25));
        return contextValue;
      };
      const key = `miss-${random()}`;
      const start = performance.now();
      await Promise.all(Array.from({ length: concurrent }, () => cache.getOrSet(key, loader)));
      outcomes.push({ contender, concurrent, loaderCalls, wallMs: performance.now() - start });
    }
    await closeAll(caches);
  }
  return outcomes;
}

async function outages(quick: boolean): Promise<Record<string, OutageResult> | undefined> {
  if (!redisServerAvailable()) return undefined;
  const plan = { requests: quick ? 1_000 : 2_000, concurrency: 50 };
  return {
    'neptune (defaults)': await runOutage(
      (url) => neptune({ redisUrl: url, prefix: 'neptune-outage:' }),
      plan,
    ),
    'bentocache (defaults)': await runOutage(
      (url) => bento({ redisUrl: url }, { prefix: 'bento-outage' }),
      plan,
    ),
    'bentocache (suppressL2Errors, breaker 5s)': await runOutage(
      (url) =>
        bento(
          { redisUrl: url },
          { prefix: 'bento-outage', suppressL2Errors: true, l2CircuitBreakerDuration: '5s' },
        ),
      plan,
    ),
  };
}

function tablesFor(
  memory: Record<string, Measurement>,
  redis: Record<string, Measurement>,
  misses: MissOutcome[],
  outage: Record<string, OutageResult> | undefined,
): BenchmarkTable[] {
  const bentoMemoryNs = memory['bentocache (memory)']!.medianNs;
  const rawGetNs = redis['raw ioredis GET']!.medianNs;
  return [
    {
      title: 'Memory hits: getOrSet on a warm key, sequential',
      rows: Object.entries(memory).map(([contender, result]) => ({
        contender,
        'ops/s': Math.round(result.opsPerSecond),
        'ns/op': Math.round(result.medianNs),
        'time vs bentocache (memory)': result.medianNs / bentoMemoryNs,
      })),
      notes: [
        'The value is an ~850-byte CRM summary; every contender returns a private copy (BentoCache serializes its memory tier by default).',
        'Median of interleaved batches of 2,000 awaited calls.',
      ],
    },
    {
      title: 'Redis hits: one getOrSet at a time on a warm key, no memory tier',
      rows: Object.entries(redis).map(([contender, result]) => ({
        contender,
        'median (µs)': result.medianNs / 1e3,
        'p95 (µs)': result.p95Ns / 1e3,
        'median vs raw GET': result.medianNs / rawGetNs,
      })),
      notes: [
        'A raw GET returns the string; the caches return the decoded object, so GET + JSON.parse is the like-for-like floor.',
        "Neptune's hit is one MGET (entry and invalidation stamp together).",
      ],
    },
    {
      title: 'Concurrent misses on one key (Redis store, loader takes 25 ms)',
      rows: misses.map((outcome) => ({
        contender: outcome.contender,
        concurrent: outcome.concurrent,
        'loader calls': outcome.loaderCalls,
        'wall (ms)': outcome.wallMs,
      })),
    },
    {
      title: 'Redis killed (SIGKILL) a third of the way through the run',
      rows: Object.entries(outage ?? {}).map(([contender, result]) => ({
        contender,
        requests: result.requests,
        served: result.served,
        'failed (threw)': result.failed,
        [`no answer in ${REQUEST_DEADLINE_MS / 1000} s`]: result.timedOut,
        'errors recorded': result.recordedErrors,
        'loader calls': result.loaderCalls,
        'outage median (ms)': result.outageMedianMs,
        'outage p95 (ms)': result.outageP95Ms,
      })),
      notes:
        outage === undefined
          ? ['Skipped: redis-server is not on PATH (the scenario starts and kills its own server).']
          : [
              'A disposable redis-server per contender; 50 requests in flight over 50 keys; the loader takes 1 ms.',
              'Same ioredis options for all (maxRetriesPerRequest: 1). Neptune runs with its defaults.',
            ],
    },
  ];
}

export default defineBenchmark({
  name: 'cache',
  description: '@neptune/cache vs BentoCache: memory and Redis hits, concurrent misses, Redis killed midway',
  async run(context: BenchmarkContext) {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const quick = process.argv.includes('--quick');
    context.log(`cache: memory hits (${redisUrl})`);
    const memory = await memoryHits(redisUrl, quick);
    context.log('cache: redis hits');
    const redis = await redisHits(redisUrl, quick);
    context.log('cache: concurrent misses');
    const misses = await concurrentMisses(redisUrl);
    context.log('cache: redis killed midway');
    const outage = await outages(quick);

    const neptuneRedisRatio = redis['neptune (redis)']!.medianNs / redis['raw ioredis GET']!.medianNs;
    const neptuneOutage = outage?.['neptune (defaults)'];
    const checks = [
      {
        check: 'one loader call for 10,000 concurrent misses',
        figure: `${misses.find((outcome) => outcome.contender === 'neptune' && outcome.concurrent === 10_000)?.loaderCalls} call(s)`,
        pass:
          misses.find((outcome) => outcome.contender === 'neptune' && outcome.concurrent === 10_000)
            ?.loaderCalls === 1,
      },
      {
        check: 'memory hits at least as fast as BentoCache',
        figure: `${Math.round(memory['neptune (memory store)']!.medianNs)} vs ${Math.round(memory['bentocache (memory)']!.medianNs)} ns/op`,
        pass: memory['neptune (memory store)']!.medianNs <= memory['bentocache (memory)']!.medianNs,
      },
      {
        check: 'redis hits within 1.2x of a raw GET (median)',
        figure: `${neptuneRedisRatio.toFixed(2)}x`,
        pass: neptuneRedisRatio <= 1.2,
      },
      {
        check: 'zero failed requests with Redis killed',
        figure:
          neptuneOutage === undefined ? 'skipped' : `${neptuneOutage.failed + neptuneOutage.timedOut} failed`,
        pass: neptuneOutage === undefined ? null : neptuneOutage.failed + neptuneOutage.timedOut === 0,
      },
    ];
    return {
      tables: [
        ...tablesFor(memory, redis, misses, outage),
        {
          title: 'Done-when checks (issue 3)',
          rows: checks.map(({ check, figure, pass }) => ({
            check,
            figure,
            result: pass === null ? 'skipped' : pass ? 'pass' : 'FAIL',
          })),
        },
      ],
      figures: { redisUrl, quick, memory, redis, misses, outage },
      failures: checks
        .filter((check) => check.pass === false)
        .map((check) => `${check.check}: ${check.figure}`),
    };
  },
});
