import { z } from 'zod';
import type { CheckArguments } from './check-arguments';

/** One check's outcome, as printed. */
export interface EndpointCheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** What was seen, or what is wrong and where to look. */
  readonly detail: string;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

interface Context {
  readonly settings: CheckArguments;
  get(path: string, options?: { token?: string | false; query?: string }): Promise<Response>;
}

/** Thrown inside a check: its message is the check's detail. */
class CheckFailed extends Error {}

const fail = (detail: string): never => {
  throw new CheckFailed(detail);
};

const targetsSchema = z.array(
  z.object({ id: z.string(), status: z.enum(['met', 'missed', 'no-data']) }),
  'targets must be a list of { id, status }',
);
const summarySchema = z.object({
  lastHour: z.object({ requests: z.object({ total: z.number() }) }),
  lastDay: z.object({ requests: z.object({ total: z.number() }) }),
  targets: targetsSchema,
});
const reportSchema = z.object({
  summary: z.object({ requests: z.object({ total: z.number() }) }),
  targets: targetsSchema,
  recentErrors: z.array(z.unknown()),
});
const healthSchema = z.object({
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  checks: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['up', 'slow', 'down']),
      latencyMs: z.number(),
      error: z.string().optional(),
    }),
  ),
});
/** A sample line of the Prometheus text format: name, optional labels, a value. */
const PROMETHEUS_SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|NaN|[+-]Inf)(?: -?\d+)?$/;

async function readJson<Schema extends z.ZodType>(
  response: Response,
  schema: Schema,
  what: string,
): Promise<z.output<Schema>> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) fail(`${what} answered ${type || 'no content type'}, not JSON`);
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(`${what} is not Neptune's shape: ${issue.path.join('.') || '(body)'} ${issue.message}`);
  }
  return parsed.data as z.output<Schema>;
}

function expectStatus(response: Response, expected: number, what: string): void {
  if (response.status === expected) return;
  if (response.status === 404) fail(`${what} answered 404: is the route there, and the path right?`);
  if (response.status === 401 || response.status === 403)
    fail(`${what} answered ${response.status} with the token: is it the app's NEPTUNE_METRICS_TOKEN?`);
  fail(`${what} answered ${response.status}, expected ${expected}`);
}

const targetCounts = (targets: z.output<typeof targetsSchema>) => {
  const count = (status: string) => targets.filter((target) => target.status === status).length;
  return `targets ${count('met')} met, ${count('missed')} missed, ${count('no-data')} without data`;
};

function checksOf(context: Context): Array<[name: string, run: () => Promise<string>]> {
  const { metricsPath, dashboardPath } = context.settings;
  const guarded = [
    metricsPath,
    `${metricsPath}/neptune`,
    `${metricsPath}/health`,
    `${metricsPath}/prometheus`,
    dashboardPath,
  ];
  return [
    ...guarded.map((path): [string, () => Promise<string>] => [
      `${path} refuses a request without the token`,
      async () => {
        const response = await context.get(path, { token: false });
        if (response.status === 401 || response.status === 403) return `${response.status}`;
        // A dashboard may send browsers to its sign-in form instead.
        if (path === dashboardPath && response.status >= 300 && response.status < 400)
          return `${response.status} to ${response.headers.get('location') ?? 'a sign-in page'}`;
        if (response.status === 404) fail('404: is the route there, and the path right?');
        return fail(`${response.status}: it answers without a token, so anyone can read it; give it a guard`);
      },
    ]),
    [
      `${metricsPath} refuses a wrong token`,
      async () => {
        const response = await context.get(metricsPath, { token: 'neptune-check-wrong-token' });
        if (response.status === 401 || response.status === 403) return `${response.status}`;
        return fail(`${response.status}: a wrong token was let in`);
      },
    ],
    [
      `${metricsPath}/health`,
      async () => {
        const response = await context.get(`${metricsPath}/health`);
        if (response.status === 501)
          return 'no health checks configured (pass healthChecks to createAdminHandlers)';
        if (response.status !== 503) expectStatus(response, 200, 'health');
        const health = await readJson(response, healthSchema, 'health');
        const checks = health.checks
          .map((check) => `${check.name} ${check.status} ${Math.round(check.latencyMs)} ms`)
          .join(', ');
        if (health.status === 'unhealthy') {
          const down = health.checks.filter((check) => check.status === 'down');
          fail(
            `unhealthy: ${down.map((check) => `${check.name} down (${check.error ?? 'no reason given'})`).join(', ')}`,
          );
        }
        return `${health.status}: ${checks}`;
      },
    ],
    [
      metricsPath,
      async () => {
        const response = await context.get(metricsPath);
        expectStatus(response, 200, 'the summary');
        const summary = await readJson(response, summarySchema, 'the summary');
        return `${summary.lastHour.requests.total} requests in the last hour, ${summary.lastDay.requests.total} in the day; ${targetCounts(summary.targets)}`;
      },
    ],
    ...['hour', 'day', 'week'].map((range): [string, () => Promise<string>] => [
      `${metricsPath}/neptune?range=${range}`,
      async () => {
        const response = await context.get(`${metricsPath}/neptune`, { query: `range=${range}` });
        expectStatus(response, 200, `range=${range}`);
        const report = await readJson(response, reportSchema, `range=${range}`);
        return `${report.summary.requests.total} requests, ${report.recentErrors.length} recent errors; ${targetCounts(report.targets)}`;
      },
    ]),
    [
      `${metricsPath}/neptune refuses a bad range with 400`,
      async () => {
        const response = await context.get(`${metricsPath}/neptune`, { query: 'range=neptune-check' });
        if (response.status === 400) return '400';
        return fail(`${response.status}: a bad range must be refused with 400, naming the parameter`);
      },
    ],
    [
      `${metricsPath}/prometheus`,
      async () => {
        const response = await context.get(`${metricsPath}/prometheus`);
        expectStatus(response, 200, 'prometheus');
        const type = response.headers.get('content-type') ?? '';
        if (!type.startsWith('text/plain')) fail(`content type ${type || 'missing'}, expected text/plain`);
        const lines = (await response.text())
          .split('\n')
          .filter((line) => line !== '' && !line.startsWith('#'));
        const bad = lines.find((line) => !PROMETHEUS_SAMPLE.test(line));
        if (bad !== undefined) fail(`not the Prometheus text format: ${JSON.stringify(bad.slice(0, 80))}`);
        if (!lines.some((line) => line.startsWith('neptune_requests'))) fail('no neptune_requests sample');
        return `${lines.length} samples`;
      },
    ],
    [
      dashboardPath,
      async () => {
        const page = await context.get(dashboardPath);
        expectStatus(page, 200, 'the dashboard');
        const type = page.headers.get('content-type') ?? '';
        if (!type.startsWith('text/html') || !/<html/i.test(await page.text()))
          fail(`the dashboard answered ${type || 'no content type'}, not an HTML page`);
        const data = await context.get(dashboardPath, { query: 'format=json' });
        expectStatus(data, 200, 'the dashboard data (?format=json)');
        await readJson(data, z.object({ report: reportSchema }), 'the dashboard data');
        return 'the page and its data (?format=json)';
      },
    ],
  ];
}

/**
 * Runs every check against the deployment, one after another (a production app is not load-tested by
 * its monitor). A check that throws, times out or cannot connect fails with the reason; none stops the rest.
 */
export async function checkAdminEndpoints(
  settings: CheckArguments,
  fetchImplementation: Fetch = fetch,
): Promise<EndpointCheckResult[]> {
  const context: Context = {
    settings,
    get(path, options = {}) {
      const url = new URL(path, settings.baseUrl);
      if (options.query) url.search = options.query;
      const token = options.token === undefined ? settings.token : options.token;
      return fetchImplementation(url.href, {
        headers: token === false ? {} : { authorization: `Bearer ${token}` },
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    },
  };
  const results: EndpointCheckResult[] = [];
  let unreachable = false;
  for (const [name, run] of checksOf(context)) {
    if (unreachable) {
      results.push({ name, ok: false, detail: 'not run: the app could not be reached' });
      continue;
    }
    try {
      results.push({ name, ok: true, detail: await run() });
    } catch (error) {
      if (error instanceof CheckFailed) {
        results.push({ name, ok: false, detail: error.message });
        continue;
      }
      // Nothing answered: the next checks would only say the same thing.
      unreachable = results.every((result) => !result.ok);
      const origin = settings.baseUrl.origin;
      results.push({ name, ok: false, detail: `could not reach ${origin}: ${describeFetchError(error)}` });
    }
  }
  return results;
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer within the timeout';
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
