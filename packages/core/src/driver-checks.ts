import { ConfigurationError, describeValue, NeptuneError, StoreError } from './errors';

/** What a driver must have, for `checkDriverShape`. */
export interface DriverShape {
  /** The function that takes the driver, for the message: `defineVectorStore`. */
  readonly definedBy: string;
  /** The driver's contract as the message shows it: `VectorDriver { name, ... }`. */
  readonly contract: string;
  readonly requiredMethods: readonly string[];
  readonly optionalMethods?: readonly string[];
  /** Whether the driver must carry a `capabilities` object. */
  readonly capabilities?: boolean;
  /** Further problems with the candidate (a `dimensions` check, say). */
  readonly problemsWith?: (candidate: Record<string, unknown>) => string[];
}

/**
 * Checks a driver when its store is defined, so that a wrong one fails there rather than on first use:
 * a `ConfigurationError` listing every problem, in the same words for every kind of store.
 */
export function checkDriverShape(driver: unknown, shape: DriverShape): void {
  const candidate = driver as Record<string, unknown> | null;
  const problems =
    typeof candidate !== 'object' || candidate === null
      ? ['it is not an object']
      : [
          ...(typeof candidate.name === 'string' && candidate.name !== ''
            ? []
            : ['name must be a non-empty string']),
          ...(shape.problemsWith?.(candidate) ?? []),
          ...(shape.capabilities &&
          (typeof candidate.capabilities !== 'object' || candidate.capabilities === null)
            ? ['capabilities must be an object']
            : []),
          ...shape.requiredMethods
            .filter((method) => typeof candidate[method] !== 'function')
            .map((method) => `${method} must be a function`),
          ...(shape.optionalMethods ?? [])
            .filter((method) => candidate[method] !== undefined && typeof candidate[method] !== 'function')
            .map((method) => `${method}, when given, must be a function`),
        ];
  if (problems.length === 0) return;
  throw new ConfigurationError({
    message: `${shape.definedBy}(driver) needs a ${shape.contract}: ${problems.join('; ')} (received ${describeValue(driver)}). See docs/write-your-own-adapter.md.`,
    details: { what: 'driver' },
  });
}

/**
 * Runs driver calls so that an error which is not already a `NeptuneError` becomes a `StoreError` naming
 * the store and the operation (its message from `describe`), with the driver's error as its cause.
 */
export function driverCalls(
  store: string,
  describe: (operation: string, reason: string) => string,
): <T>(operation: string, run: () => Promise<T>) => Promise<T> {
  return async (operation, run) => {
    try {
      return await run();
    } catch (error) {
      if (NeptuneError.isInstance(error)) throw error;
      throw new StoreError({
        message: describe(operation, error instanceof Error ? error.message : String(error)),
        cause: error,
        details: { store, operation },
      });
    }
  };
}

/**
 * Keeps the last record of each id, in first-seen order, so that a driver gets distinct ids: writing a
 * batch means the same as writing its records one after the other, and one SQL statement cannot write the
 * same key twice (`ON CONFLICT DO UPDATE command cannot affect row a second time`).
 */
export function lastPerId<Item extends { readonly id: string }>(items: readonly Item[]): readonly Item[] {
  const byId = new Map<string, Item>();
  for (const item of items) byId.set(item.id, item);
  // The usual batch has no repeats: hand it on as it is.
  return byId.size === items.length ? items : [...byId.values()];
}
