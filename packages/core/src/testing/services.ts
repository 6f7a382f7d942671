import { existsSync } from 'node:fs';
import { describe, it } from './vitest-api';

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

/** Where the browser tests find Chromium: `CHROMIUM_PATH`, or Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/**
 * Launch options for driving that Chromium headless with playwright-core (`chromium.launch(...)`): no
 * sandbox (containers run as root), no GPU, and no background traffic, since tests have no network.
 */
export function chromiumLaunchOptions(): { executablePath: string; args: string[] } {
  return {
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}

/** `describe` for browser tests: runs when Chromium is installed, and fails (never skips) under CI without it. */
export function describeWithChromium(name: string, body: () => void): void {
  const path = chromiumPath();
  if (existsSync(path)) {
    describe(name, body);
    return;
  }
  if (isCI()) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(
          `Chromium was not found at ${path}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
        );
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: no Chromium at ${path})`, body);
}
