import { z } from 'zod';

/** Metadata values are JSON scalars or arrays of them, so every backend can store and filter them. */
export type MetadataValue = string | number | boolean | null | Array<string | number | boolean>;
/** A record's metadata: named JSON scalars or arrays of them. */
export type Metadata = Record<string, MetadataValue>;

/** The zod schema of one metadata value (see MetadataValue). */
export const metadataValueSchema: z.ZodType<MetadataValue> = z.union([
  z.string(),
  z.number().finite(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number().finite(), z.boolean()])),
]);

/** Metadata keys are identifiers, so that they can become SQL JSON paths and filter expressions safely. */
export const metadataKeySchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'metadata keys must match /^[A-Za-z_][A-Za-z0-9_]{0,63}$/');

/** The zod schema of a metadata record: identifier keys, MetadataValue values. */
export const metadataSchema = z.record(metadataKeySchema, metadataValueSchema);

type Scalar = string | number | boolean;

/** A condition on one metadata field. A bare value means equality. */
export type FieldCondition =
  | Scalar
  | null
  | { readonly $eq?: Scalar | null; readonly $ne?: Scalar | null }
  | { readonly $in: readonly Scalar[] }
  | { readonly $nin: readonly Scalar[] }
  | { readonly $gt?: number; readonly $gte?: number; readonly $lt?: number; readonly $lte?: number }
  | { readonly $contains: Scalar };

/**
 * A metadata filter: every listed field must match (AND). `$or` takes alternatives. Supported by every
 * `VectorStore` and `KeywordIndex`, and checked by their conformance suites.
 */
export interface MetadataFilter {
  readonly [field: string]: FieldCondition | readonly MetadataFilter[] | undefined;
  readonly $or?: readonly MetadataFilter[];
}

const scalar = z.union([z.string(), z.number().finite(), z.boolean()]);
const fieldCondition = z.union([
  scalar,
  z.null(),
  z.strictObject({ $in: z.array(scalar) }),
  z.strictObject({ $nin: z.array(scalar) }),
  z.strictObject({ $contains: scalar }),
  z
    .strictObject({
      $gt: z.number().finite().optional(),
      $gte: z.number().finite().optional(),
      $lt: z.number().finite().optional(),
      $lte: z.number().finite().optional(),
    })
    .refine((value) => Object.keys(value).length > 0, 'a range needs at least one of $gt, $gte, $lt, $lte'),
  z
    .strictObject({
      $eq: z.union([scalar, z.null()]).optional(),
      $ne: z.union([scalar, z.null()]).optional(),
    })
    .refine((value) => Object.keys(value).length > 0, 'needs $eq or $ne'),
]);

/** The zod schema of a MetadataFilter, checked once where a search takes it. */
export const metadataFilterSchema: z.ZodType<MetadataFilter> = z.lazy(
  () =>
    z.record(z.string(), z.unknown()).superRefine((value, context) => {
      for (const [key, condition] of Object.entries(value)) {
        if (key === '$or') {
          const parsed = z.array(metadataFilterSchema).min(1).safeParse(condition);
          if (!parsed.success)
            context.addIssue({
              code: 'custom',
              path: [key],
              message: '$or takes a non-empty array of filters',
            });
          continue;
        }
        if (!metadataKeySchema.safeParse(key).success) {
          context.addIssue({
            code: 'custom',
            path: [key],
            message: 'filter fields must be metadata keys (/^[A-Za-z_][A-Za-z0-9_]{0,63}$/)',
          });
          continue;
        }
        const parsed = fieldCondition.safeParse(condition);
        if (!parsed.success)
          context.addIssue({
            code: 'custom',
            path: [key],
            message: parsed.error.issues[0]?.message ?? 'invalid condition',
          });
      }
    }) as unknown as z.ZodType<MetadataFilter>,
);

function matchesCondition(value: MetadataValue | undefined, condition: FieldCondition): boolean {
  if (condition === null || typeof condition !== 'object') {
    return Array.isArray(value) ? value.includes(condition as Scalar) : (value ?? null) === condition;
  }
  if ('$in' in condition) return condition.$in.some((option) => matchesCondition(value, option));
  if ('$nin' in condition) return !condition.$nin.some((option) => matchesCondition(value, option));
  if ('$contains' in condition) return Array.isArray(value) ? value.includes(condition.$contains) : false;
  if ('$eq' in condition || '$ne' in condition) {
    const equality = condition as { $eq?: Scalar | null; $ne?: Scalar | null };
    if (equality.$eq !== undefined && !matchesCondition(value, equality.$eq)) return false;
    if (equality.$ne !== undefined && matchesCondition(value, equality.$ne)) return false;
    return true;
  }
  const range = condition as { $gt?: number; $gte?: number; $lt?: number; $lte?: number };
  if (typeof value !== 'number') return false;
  if (range.$gt !== undefined && !(value > range.$gt)) return false;
  if (range.$gte !== undefined && !(value >= range.$gte)) return false;
  if (range.$lt !== undefined && !(value < range.$lt)) return false;
  if (range.$lte !== undefined && !(value <= range.$lte)) return false;
  return true;
}

/** Reference semantics of `MetadataFilter`, used by the in-memory stores and to check the others. */
export function matchesFilter(metadata: Metadata, filter: MetadataFilter | undefined): boolean {
  if (filter === undefined) return true;
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (key === '$or') {
      if (!(condition as readonly MetadataFilter[]).some((option) => matchesFilter(metadata, option)))
        return false;
      continue;
    }
    // Own keys only: `constructor` or `toString` missing from a record is missing (null), as in SQL.
    const value = Object.hasOwn(metadata, key) ? metadata[key] : undefined;
    if (!matchesCondition(value, condition as FieldCondition)) return false;
  }
  return true;
}
