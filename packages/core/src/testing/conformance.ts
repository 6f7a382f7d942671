import { afterEach, beforeEach, describe, it } from './vitest-api';

/** Skips one named test of a suite, with the reason shown in the test's title. */
export interface ConformanceSkip {
  readonly test: string;
  readonly reason: string;
}

/** What a conformance suite is run with: how to create and destroy the adapter, what it can do, and skips. */
export interface ConformanceOptions<Subject, Capabilities> {
  /** The adapter's name, shown in the suite title. */
  readonly name: string;
  /** Builds a fresh subject for each test (a random prefix, schema or namespace keeps runs apart). */
  readonly create: () => Subject | Promise<Subject>;
  /** Cleans up after each test: drop what the test wrote, close clients. */
  readonly destroy?: ((subject: Subject) => void | Promise<void>) | undefined;
  /** What the adapter claims; tests that need a capability it lacks are skipped with that reason. */
  readonly capabilities?: Partial<Capabilities> | undefined;
  readonly skip?: readonly ConformanceSkip[] | undefined;
}

/** One test of a conformance suite, and the capabilities it needs. */
export interface ConformanceCase<Subject, Capabilities> {
  readonly name: string;
  /** Capabilities the test needs; without them it is skipped and says why. */
  readonly requires?: readonly (keyof Capabilities & string)[] | undefined;
  readonly timeoutMs?: number | undefined;
  run(subject: Subject, options: ConformanceOptions<Subject, Capabilities>): Promise<void> | void;
}

/**
 * Turns a list of cases into a `describe…Conformance(options)` function that users call from their own
 * test files to check their adapter exactly as ours are checked. A skip that names no existing test is
 * an error, so a skip list cannot go stale unnoticed.
 */
export function defineConformanceSuite<Subject, Capabilities>(
  contract: string,
  cases: readonly ConformanceCase<Subject, Capabilities>[],
): (options: ConformanceOptions<Subject, Capabilities>) => void {
  const names = new Set(cases.map((testCase) => testCase.name));
  return (options) => {
    for (const skip of options.skip ?? []) {
      if (!names.has(skip.test)) {
        throw new Error(
          `${contract} conformance for ${options.name}: skip names "${skip.test}", which is not a test of this suite. Known tests: ${[...names].join(', ')}.`,
        );
      }
    }
    describe(`${contract} conformance: ${options.name}`, () => {
      let subject: Subject | undefined;
      beforeEach(async () => {
        subject = await options.create();
      });
      afterEach(async () => {
        if (subject !== undefined) await options.destroy?.(subject);
        subject = undefined;
      });
      for (const testCase of cases) {
        const skip = options.skip?.find((entry) => entry.test === testCase.name);
        const missing = (testCase.requires ?? []).filter((capability) => !options.capabilities?.[capability]);
        if (skip) {
          it.skip(`${testCase.name} (skipped: ${skip.reason})`, () => {});
        } else if (missing.length > 0) {
          it.skip(`${testCase.name} (skipped: adapter lacks ${missing.join(', ')})`, () => {});
        } else {
          it(testCase.name, async () => testCase.run(subject as Subject, options), testCase.timeoutMs);
        }
      }
    });
  };
}
