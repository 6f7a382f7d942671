/**
 * `pnpm bench soak`: the Next.js example's chat route under a steady load for `--minutes=N` (default 10)
 * on real Redis and PostgreSQL (REDIS_URL, DATABASE_URL), each behind a TCP fault proxy that cycles
 * through refuse, black-hole and restore. Counts failed requests (a status other than 200, a stream
 * that does not end, an empty answer), degraded ones per phase, and the server's memory over time.
 * Flags: `--minutes=N`, `--rate=N` (requests per second, default 4). Needs `pnpm build` first (the
 * example's production build). Writes bench/results/soak.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startTcpFaultProxy, type TcpFaultMode, type TcpFaultProxy } from '@neptune/core/testing';
import { defineBenchmark } from '../lib/benchmark';

function flag(name: string, fallback: number): number {
  const argument = process.argv.find((value) => value.startsWith(`--${name}=`));
  const value = argument === undefined ? Number.NaN : Number(argument.slice(name.length + 3));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The server's resident memory, from /proc (Linux). */
function residentMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** `next start` and its children: the resident memory of the process group's Node processes. */
function groupResidentMiB(child: ChildProcess): number | undefined {
  if (child.pid === undefined) return undefined;
  let total = residentMiB(child.pid);
  try {
    const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/);
    for (const pid of children) if (pid) total = (total ?? 0) + (residentMiB(Number(pid)) ?? 0);
  } catch {
    // No children list: the parent alone.
  }
  return total;
}

interface Outcome {
  readonly phase: string;
  readonly ok: boolean;
  readonly degraded: boolean;
  readonly ms: number;
}

const QUESTIONS = [
  'Can I get a refund after cancelling our annual plan?',
  'How do we set up single sign-on with Okta?',
  'What happens when we send too many API requests?',
  'And how long does that take?',
];

export default defineBenchmark({
  name: 'soak',
  description:
    'The Next.js example’s chat route at a steady rate for minutes, while Redis and PostgreSQL are refused, black-holed and restored',
  async run(context) {
    const minutes = flag('minutes', 10);
    const rate = flag('rate', 4);
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const appDirectory = join(context.rootDirectory, 'examples/nextjs-assistant');
    if (!existsSync(join(appDirectory, '.next', 'BUILD_ID')))
      throw new Error('The example has no production build: run `pnpm build` first.');
    const next = createRequire(join(appDirectory, 'package.json')).resolve('next/dist/bin/next');

    const redisTarget = new URL(redisUrl);
    const postgresTarget = new URL(databaseUrl);
    const redisProxy: TcpFaultProxy = await startTcpFaultProxy({
      host: redisTarget.hostname,
      port: Number(redisTarget.port || 6379),
    });
    const postgresProxy: TcpFaultProxy = await startTcpFaultProxy({
      host: postgresTarget.hostname,
      port: Number(postgresTarget.port || 5432),
    });
    const proxied = (url: string, proxy: TcpFaultProxy) => {
      const target = new URL(url);
      target.host = `${proxy.host}:${proxy.port}`;
      return target.toString();
    };
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const server = spawn(
      process.execPath,
      [next, 'start', '--port', String(port), '--hostname', '127.0.0.1'],
      {
        cwd: appDirectory,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          NODE_ENV: 'production',
          NEXT_TELEMETRY_DISABLED: '1',
          OPENAI_API_KEY: '',
          REDIS_URL: proxied(redisUrl, redisProxy),
          DATABASE_URL: proxied(databaseUrl, postgresProxy),
          NEPTUNE_METRICS_TOKEN: `soak-${Date.now()}-0123456789abcdef0123`,
          NEPTUNE_ADMIN_TOKEN: `soak-${Date.now()}-0123456789abcdef0123`,
        },
      },
    );
    let output = '';
    server.stdout?.on('data', (chunk) => (output += chunk));
    server.stderr?.on('data', (chunk) => (output += chunk));
    try {
      const readyBy = Date.now() + 60_000;
      while (
        !(await fetch(`${baseUrl}/`).then(
          (response) => response.ok,
          () => false,
        ))
      ) {
        if (Date.now() > readyBy || server.exitCode !== null)
          throw new Error(`next start did not answer:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      // One request first, so the setup (ingestion, migrations) is not counted in the first phase.
      await fetch(`${baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-demo-user': 'soak-warmup' },
        body: JSON.stringify({ message: QUESTIONS[0], conversationId: 'soak-warmup' }),
      }).then((response) => response.text());

      // A cycle of eight phases, each an eighth of a minute-and-a-half, repeated for the whole run.
      const cycle: Array<{ name: string; redis: TcpFaultMode; postgres: TcpFaultMode }> = [
        { name: 'healthy', redis: 'pass', postgres: 'pass' },
        { name: 'redis refused', redis: 'refuse', postgres: 'pass' },
        { name: 'healthy', redis: 'pass', postgres: 'pass' },
        { name: 'redis black-holed', redis: 'black-hole', postgres: 'pass' },
        { name: 'healthy', redis: 'pass', postgres: 'pass' },
        { name: 'postgres refused', redis: 'pass', postgres: 'refuse' },
        { name: 'healthy', redis: 'pass', postgres: 'pass' },
        { name: 'postgres black-holed', redis: 'pass', postgres: 'black-hole' },
      ];
      const phaseMs = 12_000;
      const endAt = Date.now() + minutes * 60_000;
      const outcomes: Outcome[] = [];
      const memory: Array<{ atMs: number; mib: number }> = [];
      const startedAt = Date.now();
      let phase = cycle[0]!;
      const switcher = (async () => {
        for (let index = 0; Date.now() < endAt; index++) {
          phase = cycle[index % cycle.length]!;
          await redisProxy.setMode(phase.redis);
          await postgresProxy.setMode(phase.postgres);
          const mib = groupResidentMiB(server);
          if (mib !== undefined) memory.push({ atMs: Date.now() - startedAt, mib });
          await new Promise((resolve) =>
            setTimeout(resolve, Math.min(phaseMs, Math.max(0, endAt - Date.now()))),
          );
        }
        await redisProxy.setMode('pass');
        await postgresProxy.setMode('pass');
      })();
      const inFlight = new Set<Promise<void>>();
      for (let index = 0; Date.now() < endAt; index++) {
        const current = phase.name;
        const request = (async () => {
          const sent = performance.now();
          try {
            const response = await fetch(`${baseUrl}/api/chat`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-demo-user': `soak-${index % 7}` },
              body: JSON.stringify({
                message: QUESTIONS[index % QUESTIONS.length],
                conversationId: `soak-${index % 23}`,
              }),
              signal: AbortSignal.timeout(30_000),
            });
            const body = await response.text();
            const finish = body.split('\n\n').find((line) => line.includes('"type":"finish"'));
            const text = body.includes('"type":"text-delta"');
            outcomes.push({
              phase: current,
              ok: response.status === 200 && text && body.trimEnd().endsWith('data: [DONE]'),
              degraded: finish !== undefined && !finish.includes('"degraded":[]'),
              ms: performance.now() - sent,
            });
          } catch {
            outcomes.push({ phase: current, ok: false, degraded: false, ms: performance.now() - sent });
          }
        })();
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
        await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
      }
      await Promise.all(inFlight);
      await switcher;

      const phases = [...new Set(cycle.map((entry) => entry.name))];
      const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
      const percentile = (values: number[], fraction: number) =>
        sorted(values)[Math.max(0, Math.ceil(fraction * values.length) - 1)] ?? Number.NaN;
      const rows = phases.map((name) => {
        const inPhase = outcomes.filter((outcome) => outcome.phase === name);
        return {
          phase: name,
          requests: inPhase.length,
          failed: inPhase.filter((outcome) => !outcome.ok).length,
          degraded: inPhase.filter((outcome) => outcome.degraded).length,
          'p50 (ms)': Math.round(
            percentile(
              inPhase.map((outcome) => outcome.ms),
              0.5,
            ),
          ),
          'p95 (ms)': Math.round(
            percentile(
              inPhase.map((outcome) => outcome.ms),
              0.95,
            ),
          ),
        };
      });
      const failed = outcomes.filter((outcome) => !outcome.ok).length;
      const firstMinute = memory.filter((sample) => sample.atMs > 60_000 && sample.atMs <= 120_000);
      const lastMinute = memory.filter((sample) => sample.atMs > minutes * 60_000 - 60_000);
      const median = (values: number[]) => percentile(values, 0.5);
      const memoryGrowth =
        firstMinute.length > 0 && lastMinute.length > 0
          ? median(lastMinute.map((sample) => sample.mib)) - median(firstMinute.map((sample) => sample.mib))
          : undefined;
      const failures: string[] = [];
      if (failed > 0) failures.push(`${failed} of ${outcomes.length} requests failed`);
      return {
        tables: [
          { title: `The chat route for ${minutes} min at ${rate} requests/s, by fault phase`, rows },
          {
            title: 'Server memory (next start, resident), MiB',
            rows: memory
              .filter((_, index) => index % 5 === 0)
              .map((sample) => ({
                'at (s)': Math.round(sample.atMs / 1000),
                'resident (MiB)': Math.round(sample.mib),
              })),
            notes: [
              memoryGrowth === undefined
                ? 'Too short a run to compare the second minute with the last.'
                : `Median resident memory, last minute against the second: ${memoryGrowth >= 0 ? '+' : ''}${memoryGrowth.toFixed(1)} MiB.`,
            ],
          },
        ],
        figures: { minutes, rate, requests: outcomes.length, failed, memoryGrowthMiB: memoryGrowth },
        failures,
      };
    } finally {
      if (server.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
      await redisProxy.close();
      await postgresProxy.close();
    }
  },
});
