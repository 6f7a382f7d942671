import { ConfigurationError } from './errors';

type Holder = Record<symbol, Promise<unknown> | undefined>;

function slotOf(key: string): symbol {
  if (typeof key !== 'string' || key.trim() === '') {
    throw new ConfigurationError({
      message: 'lazySingleton key must be a non-empty string, such as "my-app.neptune".',
      details: { what: 'key' },
    });
  }
  return Symbol.for(`neptune.lazy-singleton:${key}`);
}

/**
 * A getter for one instance per server process, created on first use: the way to hold an app's stores,
 * knowledge base and assistant in Next.js and other bundled servers.
 *
 * - Nothing is created when the module is imported, so `next build` runs without runtime variables
 *   (`REDIS_URL`, `DATABASE_URL`, the metrics token) and never opens a connection.
 * - The instance lives on `globalThis` under `Symbol.for(key)`, so every route bundle, and the module
 *   again after a `next dev` reload, gets the same one: no second Redis connection per edit.
 * - Concurrent first calls share one creation; a failed creation is forgotten, so the next call tries
 *   again (Redis was down at start-up) instead of failing forever.
 *
 * ```ts
 * export const neptune = lazySingleton('my-app.neptune', async () => createAssistant({ ... }));
 * // in a route: const assistant = await neptune();
 * ```
 *
 * `key` names the instance across the process: use one per app and object (`'my-app.neptune'`).
 * A changed `create` after a dev reload is not picked up until the process restarts (or `reset` runs).
 */
export function lazySingleton<T>(key: string, create: () => T | Promise<T>): LazySingleton<T> {
  const slot = slotOf(key);
  const holder = globalThis as unknown as Holder;
  const get = (() => {
    let pending = holder[slot] as Promise<T> | undefined;
    if (pending === undefined) {
      pending = Promise.resolve()
        .then(create)
        .catch((error: unknown) => {
          if (holder[slot] === pending) delete holder[slot];
          throw error;
        });
      holder[slot] = pending;
    }
    return pending;
  }) as LazySingleton<T>;
  get.reset = () => {
    delete holder[slot];
  };
  return get;
}

/** What `lazySingleton` returns: call it for the instance. */
export interface LazySingleton<T> {
  (): Promise<T>;
  /** Forgets the instance (it is not closed: close it first), so the next call creates a new one. */
  reset(): void;
}
