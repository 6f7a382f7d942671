import { loadedVitest } from './vitest-loader';

type Vitest = typeof import('vitest');

function vitest(): Vitest {
  if (loadedVitest instanceof Error) {
    throw new Error(
      `Neptune's conformance suites and describeWithService run under vitest, which could not be loaded (${loadedVitest.message}). Install vitest (^3 or ^4) and call them from a test file.`,
      { cause: loadedVitest },
    );
  }
  return loadedVitest;
}

/**
 * One of vitest's functions, looked up when it is used rather than when this module loads, so that the
 * entry loads without vitest. Calls (`describe(...)`) and properties (`describe.skip`,
 * `expect.objectContaining`) both reach the real function.
 */
function late<
  Name extends 'afterAll' | 'afterEach' | 'beforeAll' | 'beforeEach' | 'describe' | 'expect' | 'it',
>(name: Name): Vitest[Name] {
  const real = () => vitest()[name] as unknown as (...args: unknown[]) => unknown;
  return new Proxy((() => undefined) as unknown as Vitest[Name], {
    apply: (_target, thisArgument, args: unknown[]) => Reflect.apply(real(), thisArgument, args),
    get: (_target, property) => Reflect.get(real(), property),
  });
}

export const afterAll = late('afterAll');
export const afterEach = late('afterEach');
export const beforeAll = late('beforeAll');
export const beforeEach = late('beforeEach');
export const describe = late('describe');
export const expect = late('expect');
export const it = late('it');
