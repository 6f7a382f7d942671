import type { FieldCondition, MetadataFilter } from '@neptune/core';
import { METADATA_FIELD } from './upstash-metadata';

type Scalar = string | number | boolean;
/** A filter expression, or a constant the translation folds away (Upstash's syntax has no true/false). */
type Expression = string | boolean;

/**
 * Writes a number as Upstash's filter syntax reads it: plain decimal digits, since the syntax has no
 * exponent (`1e21` and `1e-7` are written out in full).
 */
export function decimalLiteral(value: number): string {
  const text = String(value);
  const exponentAt = text.search(/e/i);
  if (exponentAt === -1) return text;
  const exponent = Number(text.slice(exponentAt + 1));
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, exponentAt);
  const [whole = '', fraction = ''] = mantissa.split('.');
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + body;
}

/** A quoted string literal: backslash and quote are escaped, so a value can never end the literal early. */
export function stringLiteral(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function literal(value: Scalar): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number') return decimalLiteral(value);
  return value ? 'true' : 'false';
}

function all(parts: Expression[]): Expression {
  if (parts.includes(false)) return false;
  const kept = parts.filter((part): part is string => part !== true);
  if (kept.length === 0) return true;
  return kept.length === 1 ? kept[0]! : `(${kept.join(' AND ')})`;
}

function any(parts: Expression[]): Expression {
  if (parts.includes(true)) return true;
  const kept = parts.filter((part): part is string => part !== false);
  if (kept.length === 0) return false;
  return kept.length === 1 ? kept[0]! : `(${kept.join(' OR ')})`;
}

/**
 * `matchesFilter`'s equality: the stored scalar equals the value, or the stored array holds it. Nulls are
 * never stored (see upstash-metadata.ts), so `null` means the field is absent.
 */
function equals(field: string, value: Scalar | null): Expression {
  if (value === null) return `HAS NOT FIELD ${field}`;
  return any([`${field} = ${literal(value)}`, `${field} CONTAINS ${literal(value)}`]);
}

/**
 * The negation of `equals`. Upstash documents `!=` for scalars and `NOT CONTAINS` for arrays, and neither
 * for an absent field, so each case is spelled out: absent, a scalar that differs, or an array without it.
 */
function notEquals(field: string, value: Scalar | null): Expression {
  if (value === null) return `HAS FIELD ${field}`;
  return any([
    `HAS NOT FIELD ${field}`,
    `${field} != ${literal(value)}`,
    `${field} NOT CONTAINS ${literal(value)}`,
  ]);
}

function condition(field: string, value: FieldCondition): Expression {
  if (value === null || typeof value !== 'object') return equals(field, value);
  if ('$in' in value) {
    if (value.$in.length === 0) return false;
    const options = value.$in.map(literal).join(', ');
    return any([
      `${field} IN (${options})`,
      ...value.$in.map((option) => `${field} CONTAINS ${literal(option)}`),
    ]);
  }
  if ('$nin' in value) {
    if (value.$nin.length === 0) return true;
    const options = value.$nin.map(literal).join(', ');
    return any([
      `HAS NOT FIELD ${field}`,
      `${field} NOT IN (${options})`,
      all(value.$nin.map((option) => `${field} NOT CONTAINS ${literal(option)}`)),
    ]);
  }
  if ('$contains' in value) return `${field} CONTAINS ${literal(value.$contains)}`;
  if ('$eq' in value || '$ne' in value) {
    const equality = value as { $eq?: Scalar | null; $ne?: Scalar | null };
    return all([
      ...(equality.$eq === undefined ? [] : [equals(field, equality.$eq)]),
      ...(equality.$ne === undefined ? [] : [notEquals(field, equality.$ne)]),
    ]);
  }
  const operators = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;
  const range = value as Partial<Record<keyof typeof operators, number>>;
  return all(
    (Object.keys(operators) as (keyof typeof operators)[])
      .filter((name) => range[name] !== undefined)
      .map((name) => `${field} ${operators[name]} ${decimalLiteral(range[name]!)}`),
  );
}

function expression(filter: MetadataFilter): Expression {
  const parts: Expression[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === '$or') parts.push(any((value as readonly MetadataFilter[]).map(expression)));
    // Keys are validated identifiers (letters, digits, _), and sit under the `metadata` object, so a key
    // named like an operator (`in`, `and`) is still read as a field: `metadata.in`.
    else parts.push(condition(`${METADATA_FIELD}.${key}`, value as FieldCondition));
  }
  return all(parts);
}

/** Sentinels for a filter that folds to a constant: `match-all` needs no filter, `match-none` no query. */
export type UpstashFilter =
  | { readonly kind: 'match-all' }
  | { readonly kind: 'match-none' }
  | { readonly kind: 'filter'; readonly filter: string };

/**
 * Translates a (validated) `MetadataFilter` into Upstash Vector's SQL-like filter syntax, with the
 * semantics of `matchesFilter`. Values are quoted and escaped literals; keys are identifiers.
 */
export function upstashFilter(filter: MetadataFilter | undefined): UpstashFilter {
  const result = filter === undefined ? true : expression(filter);
  if (result === true) return { kind: 'match-all' };
  if (result === false) return { kind: 'match-none' };
  return { kind: 'filter', filter: result };
}
