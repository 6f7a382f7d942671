import { parseArgs } from 'node:util';
import { parseInput, ValidationError } from '@neptune/core';
import { z } from 'zod';

export const CHECK_USAGE = `Usage: neptune-check --base-url <url> [--token <token>] [--json]

Checks a deployed app's Neptune admin endpoints: health, the metrics summary and ranges (JSON), the
Prometheus text, and that every endpoint and the dashboard refuse a request without the token. Exits 0
when every check passes, 1 when one fails, 2 on bad arguments.

Options:
  --base-url <url>        the app's origin, e.g. https://your.app (http://localhost:3000 for next dev)
  --token <token>         the admin bearer token (default: the NEPTUNE_METRICS_TOKEN environment variable)
  --metrics-path <path>   where the metrics endpoints are (default /api/admin/metrics: /health,
                          /neptune and /prometheus below it)
  --dashboard-path <path> the dashboard (default /admin/performance)
  --timeout <ms>          each request's time limit (default 10000)
  --json                  print the results as JSON
  -h, --help              show this help`;

export interface CheckArguments {
  readonly baseUrl: URL;
  readonly token: string;
  readonly metricsPath: string;
  readonly dashboardPath: string;
  readonly timeoutMs: number;
  readonly json: boolean;
}

const pathSchema = z.string().regex(/^\/[^\s?#]*$/, 'must be a path starting with / (no query)');

const checkArgumentsSchema = z.object({
  'base-url': z
    .string({ error: 'is required: pass --base-url https://your.app' })
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      message: 'must be an http:// or https:// URL, e.g. https://your.app',
    }),
  token: z
    .string({
      error: 'is required: pass --token <token> or set NEPTUNE_METRICS_TOKEN (the admin bearer token)',
    })
    .min(1, 'is empty: pass --token <token> or set NEPTUNE_METRICS_TOKEN'),
  'metrics-path': pathSchema.default('/api/admin/metrics'),
  'dashboard-path': pathSchema.default('/admin/performance'),
  timeout: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of milliseconds')
    .transform(Number)
    .refine((value) => value >= 100 && value <= 600_000, 'must be from 100 to 600000 ms')
    .default(10_000),
  json: z.boolean().default(false),
});

/** Reads `neptune-check`'s command line; `undefined` when help was asked for. */
export function parseCheckArguments(
  argv: readonly string[],
  environment: Readonly<Record<string, string | undefined>>,
): CheckArguments | undefined {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'base-url': { type: 'string' },
        token: { type: 'string' },
        'metrics-path': { type: 'string' },
        'dashboard-path': { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ValidationError({
      message: `${(error as Error).message}. Run neptune-check --help for the options.`,
      cause: error,
    });
  }
  if (values.help) return undefined;
  const token = (values.token as string | undefined) ?? environment.NEPTUNE_METRICS_TOKEN;
  const parsed = parseInput(checkArgumentsSchema, { ...values, token }, 'neptune-check arguments');
  return {
    baseUrl: new URL(parsed['base-url']),
    token: parsed.token,
    metricsPath: parsed['metrics-path'].replace(/\/+$/, ''),
    dashboardPath: parsed['dashboard-path'],
    timeoutMs: parsed.timeout,
    json: parsed.json,
  };
}
