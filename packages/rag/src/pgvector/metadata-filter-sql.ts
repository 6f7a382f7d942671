import type { FieldCondition, MetadataFilter } from '@neptune/core';
import { and, not, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

type Scalar = string | number | boolean;

const TRUE = sql`true`;
const FALSE = sql`false`;

/** `column @> $json`: jsonb containment, with the JSON as a bound parameter. */
function contains(column: PgColumn, json: Record<string, unknown>): SQL {
  return sql`${column} @> ${JSON.stringify(json)}::jsonb`;
}

/**
 * `matchesFilter`'s equality: a scalar equals the stored scalar, or is one of the stored array's
 * elements; `null` matches a missing key or a stored null. jsonb containment gives exactly that (and
 * compares numbers as numbers: 1 = 1.0), so no value is ever cast from text.
 */
function equals(column: PgColumn, key: string, value: Scalar | null): SQL {
  if (value === null) return sql`(${column} -> ${key}::text IS NULL OR ${contains(column, { [key]: null })})`;
  return sql`(${contains(column, { [key]: value })} OR ${contains(column, { [key]: [value] })})`;
}

function anyOf(conditions: SQL[]): SQL {
  return conditions.length === 0 ? FALSE : (or(...conditions) as SQL);
}

function range(column: PgColumn, key: string, bounds: Record<string, number | undefined>): SQL {
  const operators = { $gt: sql`>`, $gte: sql`>=`, $lt: sql`<`, $lte: sql`<=` } as const;
  const comparisons = (Object.keys(operators) as (keyof typeof operators)[])
    .filter((name) => bounds[name] !== undefined)
    .map((name) => sql`(${column} -> ${key}::text)::numeric ${operators[name]} ${bounds[name]}::numeric`);
  // CASE fixes the evaluation order, so the numeric cast never sees a string or an array.
  return sql`(CASE WHEN jsonb_typeof(${column} -> ${key}::text) = 'number' THEN ${and(...comparisons)} ELSE false END)`;
}

function condition(column: PgColumn, key: string, value: FieldCondition): SQL {
  if (value === null || typeof value !== 'object') return equals(column, key, value);
  if ('$in' in value) return anyOf(value.$in.map((option) => equals(column, key, option)));
  if ('$nin' in value) return not(anyOf(value.$nin.map((option) => equals(column, key, option))));
  if ('$contains' in value) return contains(column, { [key]: [value.$contains] });
  if ('$eq' in value || '$ne' in value) {
    const equality = value as { $eq?: Scalar | null; $ne?: Scalar | null };
    const parts: SQL[] = [];
    if (equality.$eq !== undefined) parts.push(equals(column, key, equality.$eq));
    if (equality.$ne !== undefined) parts.push(not(equals(column, key, equality.$ne)));
    return and(...parts) as SQL;
  }
  return range(column, key, value as Record<string, number | undefined>);
}

/**
 * Translates a (validated) `MetadataFilter` into a condition on the jsonb `column`, with the same
 * semantics as `matchesFilter`. Keys and values are bound parameters, never spliced into the SQL.
 * Returns undefined for an empty filter.
 */
export function metadataFilterSql(column: PgColumn, filter: MetadataFilter | undefined): SQL | undefined {
  if (filter === undefined) return undefined;
  const parts: SQL[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === '$or') {
      const options = value as readonly MetadataFilter[];
      parts.push(anyOf(options.map((option) => metadataFilterSql(column, option) ?? TRUE)));
      continue;
    }
    parts.push(condition(column, key, value as FieldCondition));
  }
  return parts.length === 0 ? undefined : (and(...parts) as SQL);
}
