import { parseOptions, type Scope, throwIfAborted, ValidationError, validateScope } from '@neptune/core';
import { z } from 'zod';
import { type ContextItem, type ContextItemInput, normalizeItem, parseItemInput } from '../context-item';

/** What a source's `load` receives besides the scope. */
export interface SourceLoadContext {
  /** Fires when the request is cancelled or the load runs past `loadTimeoutMs`: pass it to your client. */
  readonly signal: AbortSignal;
  /** The most records `load` may return: put it in the query (`.limit(limit)`). More is an error. */
  readonly limit: number;
}

/** For sources declared with `varyByQuery: true`: the user's query, which is then part of the cache key. */
export interface QuerySourceLoadContext extends SourceLoadContext {
  readonly query: string;
}

/** How many records a source loads when its `limit` is not given. */
export const DEFAULT_SOURCE_LIMIT = 50;
/** The largest `limit` a source accepts. */
export const MAX_SOURCE_LIMIT = 1_000;
/** How long a source's load may keep going, in ms, after the gather stopped waiting, so that it fills the cache. */
export const DEFAULT_LOAD_TIMEOUT_MS = 5_000;

// The settings that do not depend on the record schema; the generic fields (schema, toItem, load) are
// typed by the interfaces below, which the schema's z.custom checks cannot express.
const sourceSettingsShape = {
  /** Names the source and its cache kind: `crm`, `calendar`, `tasks`. Letters, digits, `_ . -`. */
  kind: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, _ . or -, like "crm"'),
  /**
   * How long loaded items stay fresh, in ms. Optional for the cache's built-in kinds (`crm` 5 min,
   * `calendar` 2 min, `workspace` 60 min, `prefs` 15 min) and for kinds declared in `createCache({ kinds })`.
   */
  ttlMs: z.number().int().positive().optional(),
  /** After `ttlMs`, served stale for this long while one refresh runs, in ms. Default: the kind's. */
  graceMs: z.number().int().min(0).optional(),
  /** Most records one load may return. Default 50; at most 1,000. */
  limit: z.number().int().positive().max(MAX_SOURCE_LIMIT).default(DEFAULT_SOURCE_LIMIT),
  /** How long a request waits for this source before leaving it out, in ms. Default: the gatherer's (500). */
  timeoutMs: z.number().int().positive().optional(),
  /**
   * How long a load may run in all, in ms. A load the request stopped waiting for keeps running up to this,
   * so that its result is cached for the next request. Default 5,000.
   */
  loadTimeoutMs: z.number().int().positive().default(DEFAULT_LOAD_TIMEOUT_MS),
  /**
   * `workspace` (default): one cached copy per workspace, shared by its users, and `load` gets the
   * workspace scope only. `user`: per user; the source is skipped for requests without a `userId`.
   */
  scope: z.enum(['workspace', 'user']).default('workspace'),
  /** Cache tags, for `cache.invalidateTags`. */
  tags: z.array(z.string().min(1).max(256)).max(64).readonly().default([]),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const sourceSettingsSchema: z.ZodObject<typeof sourceSettingsShape> = z.object(sourceSettingsShape);

/** What every context source declares besides its records: its kind, caching, limits and timeouts. */
export type ContextSourceSettings = z.input<typeof sourceSettingsSchema>;

interface SourceOptionsBase<Schema extends z.ZodType> extends ContextSourceSettings {
  /** One record as `load` returns it. Every record is checked before it is mapped and cached. */
  readonly schema: Schema;
  /** Maps a checked record to an item: title, detail, one-line summary, times, signals. */
  readonly toItem: (record: z.output<Schema>) => ContextItemInput;
}

/** Loads the same records whatever the query: cached per scope. */
export interface ScopeSourceOptions<Schema extends z.ZodType> extends SourceOptionsBase<Schema> {
  /** Left out or `false`: the records do not depend on the query, so one cached copy serves every query. */
  readonly varyByQuery?: false | undefined;
  /**
   * Loads at most `context.limit` records for the scope (the workspace's, or the user's with `scope:
   * 'user'`); pass `context.signal` to your client.
   */
  readonly load: (scope: Scope, context: SourceLoadContext) => Promise<readonly z.input<Schema>[]>;
}

/** Loads records that depend on the query (a search): cached per scope and normalized query. */
export interface QuerySourceOptions<Schema extends z.ZodType> extends SourceOptionsBase<Schema> {
  /** `true`: the records depend on the query, which is then part of the cache key (normalized). */
  readonly varyByQuery: true;
  /** Loads at most `context.limit` records matching `context.query` for the scope; pass `context.signal` on. */
  readonly load: (scope: Scope, context: QuerySourceLoadContext) => Promise<readonly z.input<Schema>[]>;
}

/**
 * What `defineContextSource` takes: a source cached per scope, or one that varies by query (`varyByQuery:
 * true`).
 */
export type ContextSourceOptions<Schema extends z.ZodType> =
  | ScopeSourceOptions<Schema>
  | QuerySourceOptions<Schema>;

/** A checked source, ready for `createContextGatherer`. */
export interface ContextSource {
  readonly kind: string;
  readonly scope: 'workspace' | 'user';
  readonly varyByQuery: boolean;
  readonly limit: number;
  readonly ttlMs: number | undefined;
  readonly graceMs: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly loadTimeoutMs: number;
  readonly tags: readonly string[];
  /**
   * Runs `load`, checks the records (count and schema) and maps them to items. No cache and no timeout:
   * the gatherer adds those. Throws `ValidationError` for records that break the schema or the limit.
   */
  loadItems(
    scope: Scope,
    options: { query?: string | undefined; signal: AbortSignal },
  ): Promise<ContextItem[]>;
}

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', `must be ${what}`);
const optionsSchema = z.object({
  ...sourceSettingsShape,
  schema: z.custom<z.ZodType>(
    (value) => typeof (value as z.ZodType | undefined)?.safeParse === 'function',
    'must be a zod schema for one record',
  ),
  toItem: fn('a function mapping a record to { id, title, ... }'),
  load: fn('an async function (scope, { signal, limit }) returning the records'),
  varyByQuery: z.boolean().default(false),
});

/**
 * Declares where one kind of app context comes from: a bounded `load` (your own database query), a zod
 * schema for its records, a mapping to items, and how long results stay cached.
 *
 * ```ts
 * const tasks = defineContextSource({
 *   kind: 'tasks', ttlMs: 60_000, scope: 'user', schema: taskRow,
 *   load: (scope, { limit }) => db.select().from(task).where(...).orderBy(task.dueAt).limit(limit),
 *   toItem: (row) => ({ id: row.id, title: row.title, detail: row.notes, dueAt: row.dueAt }),
 * });
 * ```
 */
export function defineContextSource<Schema extends z.ZodType>(
  options: ContextSourceOptions<Schema>,
): ContextSource {
  const checked = parseOptions(optionsSchema, options, `context source options${describeKind(options)}`);
  const { kind, schema, limit } = checked;
  if (checked.timeoutMs !== undefined && checked.timeoutMs > checked.loadTimeoutMs) {
    throw new ValidationError({
      message: `Context source "${kind}": timeoutMs (${checked.timeoutMs}) is longer than loadTimeoutMs (${checked.loadTimeoutMs}); a load is cancelled at loadTimeoutMs, so raise it or lower timeoutMs.`,
      code: 'invalid-configuration',
      details: { kind },
    });
  }
  const load = checked.load as (scope: Scope, context: QuerySourceLoadContext) => Promise<unknown>;
  const toItem = checked.toItem as (record: unknown) => unknown;

  return Object.freeze({
    kind,
    scope: checked.scope,
    varyByQuery: checked.varyByQuery,
    limit,
    ttlMs: checked.ttlMs,
    graceMs: checked.graceMs,
    timeoutMs: checked.timeoutMs,
    loadTimeoutMs: checked.loadTimeoutMs,
    tags: checked.tags,
    async loadItems(scope: Scope, { query, signal }: { query?: string | undefined; signal: AbortSignal }) {
      const valid = validateScope(scope);
      throwIfAborted(signal, `Context source "${kind}"`);
      const context = checked.varyByQuery ? { signal, limit, query: query ?? '' } : { signal, limit };
      const records = await load(valid, context as QuerySourceLoadContext);
      return toItems(kind, limit, schema, toItem, records);
    },
  });
}

function describeKind(options: unknown): string {
  const kind = (options as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' ? ` for "${kind.slice(0, 64)}"` : '';
}

function toItems(
  kind: string,
  limit: number,
  schema: z.ZodType,
  toItem: (record: unknown) => unknown,
  records: unknown,
): ContextItem[] {
  if (!Array.isArray(records)) {
    throw new ValidationError({
      message: `Context source "${kind}": load must resolve to an array of records, received ${records === null ? 'null' : typeof records}.`,
      details: { kind },
    });
  }
  if (records.length > limit) {
    throw new ValidationError({
      message: `Context source "${kind}": load returned ${records.length} records, over its limit of ${limit}. Bound the query with the limit it receives (.limit(limit)), or raise the source's limit.`,
      details: { kind, limit, received: records.length },
    });
  }
  const items: ContextItem[] = [];
  for (const [index, record] of records.entries()) {
    const parsed = schema.safeParse(record);
    if (!parsed.success) throw recordError(kind, index, 'does not match the source schema', parsed.error);
    const item = parseItemInput(toItem(parsed.data));
    if (!item.success) throw recordError(kind, index, 'was mapped by toItem to an invalid item', item.error);
    items.push(normalizeItem(kind, item.data));
  }
  return items;
}

// Messages name the field and the problem but never echo the record: it is customer data.
function recordError(kind: string, index: number, what: string, error: z.ZodError) {
  const issues = error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(record)'}: ${issue.message}`)
    .join('; ');
  return new ValidationError({
    message: `Context source "${kind}": record ${index} ${what} (${issues}). Fix the query or the schema.`,
    cause: error,
    details: { kind, index },
  });
}
