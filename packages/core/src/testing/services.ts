import { describe } from 'vitest';

/** True when running under CI (`CI=true`), where a missing service is a failure rather than a skip. */
export function isCI(): boolean {
  const value = process.env.CI;
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/**
 * The URL of a real service from the environment (`REDIS_URL`, `DATABASE_URL`). Locally a missing one
 * skips the suite; under CI it throws, so a missing service can never pass as a skipped suite.
 */
export function serviceUrl(variable: string): string | undefined {
  const value = process.env[variable];
  if (value !== undefined && value !== '') return value;
  if (isCI()) {
    throw new Error(
      `${variable} is not set, and CI=true: integration tests must run against the real service. Start it and export ${variable} (see .ci/run).`,
    );
  }
  return undefined;
}

/** `describe` that runs only with the named service's URL set, and fails (never skips) under CI. */
export function describeWithService(variable: string, name: string, body: (url: string) => void): void {
  const url = serviceUrl(variable);
  if (url === undefined) {
    describe.skip(`${name} (skipped: ${variable} is not set)`, () => {});
    return;
  }
  describe(name, () => body(url));
}

/** A short random id for per-run prefixes, schemas and namespaces, so parallel runs never collide. */
export function randomTestId(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
