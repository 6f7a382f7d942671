import { NeptuneError } from '../errors';
import { afterAll, beforeAll, describe, expect, it } from './vitest-api';

/** A value nested deeper than any recursive walk can follow on the default stack. */
function deeplyNested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = { child: value };
  return value;
}

/**
 * Argument lists a caller gets wrong: nothing, the wrong type, non-finite numbers, empty and
 * prototype-named objects, a lone surrogate, and a value nested 100,000 levels deep.
 */
export const BAD_ARGUMENT_LISTS: ReadonlyArray<{
  readonly label: string;
  readonly args: readonly unknown[];
}> = [
  { label: 'no arguments', args: [] },
  { label: 'undefined', args: [undefined] },
  { label: 'null', args: [null] },
  { label: 'a number', args: [42] },
  { label: 'NaN', args: [Number.NaN] },
  { label: 'Infinity', args: [Number.POSITIVE_INFINITY] },
  { label: 'a string', args: ['x'] },
  { label: 'a lone surrogate', args: ['a\ud800'] },
  { label: 'an empty object', args: [{}] },
  { label: 'an empty array', args: [[]] },
  { label: 'a symbol', args: [Symbol('bad')] },
  { label: 'a function', args: [() => 'bad'] },
  { label: 'a prototype-named scope, then null', args: [{ workspaceId: 'constructor' }, null] },
  { label: 'a scope, then a number', args: [{ workspaceId: 'acme' }, 42] },
  { label: 'a scope, then undefined', args: [{ workspaceId: 'acme' }, undefined] },
  { label: 'a deeply nested value', args: [deeplyNested(100_000)] },
  { label: 'a string, then a deeply nested value', args: ['x', deeplyNested(100_000)] },
];

/** Options of `describeBadInputConformance`. */
export interface BadInputConformanceOptions {
  /** The package or subpath, for the test names: `@neptune/core`. */
  readonly name: string;
  /** The module's exports (`import * as module from '...'`). Classes and non-functions are passed over. */
  readonly exports: Readonly<Record<string, unknown>>;
  /** Exports left out, each with the reason (a documented total function, say). */
  readonly skip?: Readonly<Record<string, string>> | undefined;
  /** How long a call may stay pending before it counts as hanging, in ms. Default 500. */
  readonly pendingMs?: number | undefined;
  /**
   * Environment variables unset while the suite runs (restored after), so that a factory given no URL
   * says what is missing instead of connecting to the real service: `['REDIS_URL']`.
   */
  readonly unsetEnvironment?: readonly string[] | undefined;
}

function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly what: string };

async function callWithBadInput(
  fn: (...args: unknown[]) => unknown,
  args: readonly unknown[],
  pendingMs: number,
) {
  const judge = (error: unknown): Outcome =>
    NeptuneError.isInstance(error)
      ? { ok: true }
      : {
          ok: false,
          what: `${error instanceof Error ? error.name : typeof error}: ${error instanceof Error ? error.message : String(error)}`.slice(
            0,
            160,
          ),
        };
  let result: unknown;
  try {
    result = fn(...args);
  } catch (error) {
    return judge(error);
  }
  if (!(result instanceof Promise)) return { ok: true } as Outcome;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, what: `still pending after ${pendingMs} ms` }), pendingMs);
  });
  try {
    return await Promise.race([result.then(() => ({ ok: true }) as Outcome, judge), pending]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls every exported function of a module with each of `BAD_ARGUMENT_LISTS` and checks that none fails
 * with anything but a `NeptuneError` (a `ValidationError`, `ScopeError` or `ConfigurationError` naming
 * what to fix): never a `TypeError`, a `RangeError` from deep recursion, or a plain `Error`. A function
 * may also accept an argument (its parameters may be optional, or it may describe any value); what each
 * must refuse is pinned by the package's own targeted tests.
 */
export function describeBadInputConformance(options: BadInputConformanceOptions): void {
  const functions = Object.entries(options.exports).filter(
    ([name, value]) => typeof value === 'function' && !isClass(value) && options.skip?.[name] === undefined,
  );
  describe(`${options.name}: bad input to every exported function`, () => {
    const saved = new Map<string, string | undefined>();
    beforeAll(() => {
      for (const name of options.unsetEnvironment ?? []) {
        saved.set(name, process.env[name]);
        delete process.env[name];
      }
    });
    afterAll(() => {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });
    it('finds functions to call', () => {
      expect(functions.length).toBeGreaterThan(0);
    });
    it.each(functions)('%s fails only with a NeptuneError', async (name, fn) => {
      const failures: string[] = [];
      for (const { label, args } of BAD_ARGUMENT_LISTS) {
        const outcome = await callWithBadInput(
          fn as (...args: unknown[]) => unknown,
          args,
          options.pendingMs ?? 500,
        );
        if (!outcome.ok) failures.push(`${name}(${label}) -> ${outcome.what}`);
      }
      expect(failures).toEqual([]);
    });
  });
}
