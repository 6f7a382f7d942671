// `neptune-check` against the admin handlers served on a local HTTP server (real fetch, real sockets):
// a correct deployment passes, and each way a deployment goes wrong fails with a message naming it.
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import {
  type AuthorizeAdmin,
  bearerTokenGuard,
  createAdminHandlers,
  type HealthCheck,
  memoryMetricsStore,
} from '@neptune/observability';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheckCli } from '../src/cli/run-check-cli';
import { serveHandlers } from './serve-handlers';

const TOKEN = 'neptune-check-test-token-0123456789';
const up: HealthCheck = { name: 'redis', kind: 'redis', check: async () => {} };
const down: HealthCheck = {
  name: 'postgres',
  kind: 'postgres',
  check: async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  },
};

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function deployment(options: { authorize?: AuthorizeAdmin; healthChecks?: HealthCheck[] } = {}) {
  const store = memoryMetricsStore();
  const writer = store.writer('acme', Date.now());
  writer.increment('requests', 3);
  const handlers = createAdminHandlers({
    store,
    authorize: options.authorize ?? bearerTokenGuard({ tokens: [{ token: TOKEN, allWorkspaces: true }] }),
    healthChecks: options.healthChecks ?? [up],
  });
  const server = await serveHandlers({
    '/api/admin/metrics': handlers.summary,
    '/api/admin/metrics/neptune': handlers.neptune,
    '/api/admin/metrics/health': handlers.health,
    '/api/admin/metrics/prometheus': handlers.prometheus,
    '/admin/performance': handlers.dashboard,
  });
  servers.push(server);
  return server.url;
}

async function check(argv: string[], environment: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCheckCli(argv, {
    environment,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

describe('neptune-check', () => {
  it('passes a deployment whose endpoints answer and are guarded, and exits 0', async () => {
    const url = await deployment();
    const { code, stdout } = await check(['--base-url', url, '--token', TOKEN]);
    expect(stdout).toMatch(/All 14 checks passed on http:\/\/127\.0\.0\.1:\d+\./);
    expect(stdout).toContain('ok    /api/admin/metrics/health: healthy: redis up');
    expect(stdout).toContain('ok    /admin/performance refuses a request without the token: 401');
    expect(stdout).toMatch(/ok {4}\/api\/admin\/metrics: 3 requests in the last hour/);
    expect(stdout).toMatch(/ok {4}\/api\/admin\/metrics\/prometheus: \d+ samples/);
    expect(code).toBe(0);
  });

  it('reads the token from NEPTUNE_METRICS_TOKEN, and reports JSON with --json', async () => {
    const url = await deployment();
    const { code, stdout } = await check(['--base-url', url, '--json'], { NEPTUNE_METRICS_TOKEN: TOKEN });
    const report = JSON.parse(stdout) as { passed: boolean; checks: Array<{ name: string; ok: boolean }> };
    expect(report.passed).toBe(true);
    expect(report.checks).toHaveLength(14);
    expect(code).toBe(0);
  });

  it('fails, naming each open endpoint, when the admin routes answer without a token', async () => {
    const url = await deployment({ authorize: () => ({ admin: true, allWorkspaces: true }) });
    const { code, stdout } = await check(['--base-url', url, '--token', TOKEN]);
    expect(stdout).toContain(
      'FAIL  /api/admin/metrics refuses a request without the token: 200: it answers without a token, so anyone can read it; give it a guard',
    );
    expect(stdout).toContain('FAIL  /admin/performance refuses a request without the token: 200');
    expect(stdout).toContain('FAIL  /api/admin/metrics refuses a wrong token: 200: a wrong token was let in');
    expect(stdout).toMatch(/6 of 14 checks failed/);
    expect(code).toBe(1);
  });

  it('fails the health check when a critical dependency is down, saying which and why', async () => {
    const url = await deployment({ healthChecks: [up, down] });
    const { code, stdout } = await check(['--base-url', url, '--token', TOKEN]);
    expect(stdout).toContain(
      'FAIL  /api/admin/metrics/health: unhealthy: postgres down (connect ECONNREFUSED 127.0.0.1:5432)',
    );
    expect(stdout).toMatch(/1 of 14 checks failed/);
    expect(code).toBe(1);
  });

  it('says the token is wrong when the endpoints refuse it', async () => {
    const url = await deployment();
    const { code, stdout } = await check(['--base-url', url, '--token', `${TOKEN}-not-it`]);
    expect(stdout).toContain(
      "FAIL  /api/admin/metrics: the summary answered 401 with the token: is it the app's NEPTUNE_METRICS_TOKEN?",
    );
    expect(code).toBe(1);
  });

  it('says when the paths are wrong, and when nothing answers at the URL', async () => {
    const url = await deployment();
    const wrongPath = await check(['--base-url', url, '--token', TOKEN, '--dashboard-path', '/admin']);
    expect(wrongPath.stdout).toContain(
      'FAIL  /admin refuses a request without the token: 404: is the route there, and the path right?',
    );
    expect(wrongPath.code).toBe(1);
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const closed = await check(['--base-url', `http://127.0.0.1:${port}`, '--token', TOKEN]);
    expect(closed.stdout).toContain(`could not reach http://127.0.0.1:${port}: ECONNREFUSED`);
    expect(closed.stdout).toContain('FAIL  /admin/performance: not run: the app could not be reached');
    expect(closed.stdout).toMatch(/14 of 14 checks failed/);
    expect(closed.code).toBe(1);
  });

  it('exits 2 with a message naming the argument when the arguments are wrong', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /base-url: is required: pass --base-url/],
      [['--base-url', 'ftp://x', '--token', TOKEN], /base-url: must be an http:\/\/ or https:\/\/ URL/],
      [
        ['--base-url', 'https://x.example'],
        /token: is required: pass --token <token> or set NEPTUNE_METRICS_TOKEN/,
      ],
      [
        ['--base-url', 'https://x.example', '--token', TOKEN, '--timeout', 'soon'],
        /timeout: must be a whole number/,
      ],
      [
        ['--base-url', 'https://x.example', '--token', TOKEN, '--metrics-path', 'api'],
        /metrics-path: must be a path/,
      ],
      [['--base-url', 'https://x.example', '--tokn', TOKEN], /Unknown option '--tokn'.*neptune-check --help/],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr } = await check(argv);
      expect(stderr, argv.join(' ')).toMatch(message);
      expect(stderr).toContain('Usage: neptune-check --base-url <url>');
      expect(code).toBe(2);
    }
    const help = await check(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: neptune-check');
  });
});
