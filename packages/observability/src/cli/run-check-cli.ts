import { NeptuneError } from '@neptune/core';
import { checkAdminEndpoints, type EndpointCheckResult } from './admin-endpoint-checks';
import { CHECK_USAGE, parseCheckArguments } from './check-arguments';

export interface CheckCliIo {
  readonly fetch?: ((input: string, init?: RequestInit) => Promise<Response>) | undefined;
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
  readonly stdout?: ((text: string) => void) | undefined;
  readonly stderr?: ((text: string) => void) | undefined;
}

function formatResults(results: readonly EndpointCheckResult[], baseUrl: URL): string {
  const failed = results.filter((result) => !result.ok).length;
  const lines = results.map((result) => `${result.ok ? 'ok  ' : 'FAIL'}  ${result.name}: ${result.detail}`);
  const verdict =
    failed === 0
      ? `All ${results.length} checks passed on ${baseUrl.origin}.`
      : `${failed} of ${results.length} checks failed on ${baseUrl.origin}.`;
  return `${lines.join('\n')}\n\n${verdict}\n`;
}

/**
 * `neptune-check`: checks a deployed app's admin endpoints. Resolves the exit code: 0 when every check
 * passed, 1 when one failed, 2 on bad arguments. Never throws.
 */
export async function runCheckCli(argv: readonly string[], io: CheckCliIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((text) => process.stdout.write(text));
  const stderr = io.stderr ?? ((text) => process.stderr.write(text));
  let settings: ReturnType<typeof parseCheckArguments>;
  try {
    settings = parseCheckArguments(argv, io.environment ?? process.env);
  } catch (error) {
    stderr(`${NeptuneError.isInstance(error) ? error.message : String(error)}\n\n${CHECK_USAGE}\n`);
    return 2;
  }
  if (settings === undefined) {
    stdout(`${CHECK_USAGE}\n`);
    return 0;
  }
  const results = await checkAdminEndpoints(settings, io.fetch);
  const passed = results.every((result) => result.ok);
  stdout(
    settings.json
      ? `${JSON.stringify({ baseUrl: settings.baseUrl.origin, passed, checks: results }, null, 2)}\n`
      : formatResults(results, settings.baseUrl),
  );
  return passed ? 0 : 1;
}
