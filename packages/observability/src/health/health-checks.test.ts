import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError } from '@neptune/core';
import { describeWithService } from '@neptune/core/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  modelProviderHealthCheck,
  postgresHealthCheck,
  redisHealthCheck,
  vectorStoreHealthCheck,
} from './dependency-health-checks';
import type { HealthCheck } from './health-check';
import { runHealthChecks } from './run-health-checks';

/** A clock that advances by the given steps, so latency and "slow" are decided without real time. */
function steppingClock(...readings: number[]): () => number {
  let index = 0;
  return () => readings[Math.min(index++, readings.length - 1)]!;
}

const passing = (name: string, critical = true): HealthCheck => ({
  name,
  kind: 'custom',
  critical,
  check: async () => {},
});
const failing = (name: string, critical = true): HealthCheck => ({
  name,
  kind: 'custom',
  critical,
  check: async () => {
    throw new Error('connection refused');
  },
});

describe('runHealthChecks', () => {
  it('is healthy when every check answers in time', async () => {
    const report = await runHealthChecks([passing('a'), passing('b')], {
      clock: steppingClock(0, 5),
      now: () => 42,
    });
    expect(report).toMatchObject({ status: 'healthy', checkedAt: 42 });
    expect(report.checks.map((check) => check.status)).toEqual(['up', 'up']);
  });

  it('is unhealthy when a critical check is down, degraded when only a non-critical one is', async () => {
    const critical = await runHealthChecks([passing('a'), failing('db')]);
    expect(critical.status).toBe('unhealthy');
    expect(critical.checks[1]).toMatchObject({ name: 'db', status: 'down', error: 'connection refused' });
    expect((await runHealthChecks([passing('a'), failing('vectors', false)])).status).toBe('degraded');
  });

  it('reports a check over its slowMs as slow and the whole as degraded', async () => {
    const slowCheck: HealthCheck = { ...passing('redis'), slowMs: 100 };
    const report = await runHealthChecks([slowCheck], { clock: steppingClock(1_000, 1_250) });
    expect(report.checks[0]).toMatchObject({ status: 'slow', latencyMs: 250 });
    expect(report.status).toBe('degraded');
  });

  it('gives up on a check that never answers, and aborts it', async () => {
    let aborted = false;
    const hanging: HealthCheck = {
      name: 'hangs',
      kind: 'custom',
      check: (signal) =>
        new Promise(() => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
        }),
    };
    const report = await runHealthChecks([hanging], { timeoutMs: 10 });
    expect(report.checks[0]).toMatchObject({ status: 'down', error: 'no answer within 10 ms' });
    expect(aborted).toBe(true);
  });

  it('refuses clients without the method it needs, with a ConfigurationError', () => {
    expect(() => redisHealthCheck({} as never)).toThrow(ConfigurationError);
    expect(() => postgresHealthCheck({} as never)).toThrow(/query\(text\)/);
    expect(() => vectorStoreHealthCheck({} as never)).toThrow(ConfigurationError);
  });

  it('probes a vector store under a scope of its own', async () => {
    const scopes: unknown[] = [];
    const check = vectorStoreHealthCheck({
      count: async (scope) => {
        scopes.push(scope);
        return 0;
      },
    });
    expect((await runHealthChecks([check])).status).toBe('healthy');
    expect(scopes).toEqual([{ workspaceId: 'neptune-health-check' }]);
  });
});

describe('modelProviderHealthCheck against an HTTP server', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<string | undefined> = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      const status =
        request.headers.authorization === 'Bearer good' ? 200 : request.url === '/v1/models' ? 401 : 404;
      response.writeHead(status, { 'content-type': 'application/json' }).end('{"data":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is up when /models answers, and down naming the refused key when it answers 401', async () => {
    const report = await runHealthChecks([
      modelProviderHealthCheck({ baseUrl, apiKey: 'good', name: 'openai' }),
      modelProviderHealthCheck({ baseUrl, apiKey: 'bad', name: 'openai-bad-key' }),
    ]);
    expect(report.checks.map((check) => [check.name, check.status])).toEqual([
      ['openai', 'up'],
      ['openai-bad-key', 'down'],
    ]);
    expect(report.checks[1]!.error).toBe('the provider refused the API key (HTTP 401)');
    expect(seen).toContain('Bearer good');
  });

  it('is down when nothing listens', async () => {
    const report = await runHealthChecks([modelProviderHealthCheck({ baseUrl: 'http://127.0.0.1:1/v1' })]);
    expect(report.checks[0]!.status).toBe('down');
  });
});

describeWithService('REDIS_URL', 'redisHealthCheck on a real Redis', (url) => {
  it('is up against the real server and down against a closed port', async () => {
    const client = new Redis(url);
    const unreachable = new Redis({
      port: 1,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    unreachable.on('error', () => {});
    try {
      const report = await runHealthChecks([
        redisHealthCheck(client),
        redisHealthCheck(unreachable, { name: 'redis-replica', critical: false }),
      ]);
      expect(report.checks.map((check) => check.status)).toEqual(['up', 'down']);
      expect(report.status).toBe('degraded');
    } finally {
      await client.quit();
      unreachable.disconnect();
    }
  });
});

const PgClient = pg.Client;

describeWithService('DATABASE_URL', 'postgresHealthCheck on a real PostgreSQL', (url) => {
  it('is up against the real server and down with a wrong database', async () => {
    const client = new PgClient({ connectionString: url });
    await client.connect();
    const wrong = new URL(url);
    wrong.pathname = '/neptune_no_such_database';
    const broken = new PgClient({ connectionString: wrong.toString() });
    const connectBroken = broken.connect().catch((error: Error) => error);
    const brokenQueryable = {
      query: async (text: string) => {
        const error = await connectBroken;
        if (error instanceof Error) throw error;
        return broken.query(text);
      },
    };
    try {
      const report = await runHealthChecks([
        postgresHealthCheck(client),
        postgresHealthCheck(brokenQueryable, { name: 'replica' }),
      ]);
      expect(report.checks.map((check) => [check.name, check.status])).toEqual([
        ['postgres', 'up'],
        ['replica', 'down'],
      ]);
      expect(report.checks[1]!.error).toMatch(/neptune_no_such_database/);
      expect(report.status).toBe('unhealthy');
    } finally {
      await client.end();
      await broken.end().catch(() => {});
    }
  });
});
