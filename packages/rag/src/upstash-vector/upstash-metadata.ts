import type { Metadata, MetadataValue } from '@neptune/core';

/** The object under which a record's metadata is stored, and the identifier filters start with. */
export const METADATA_FIELD = 'metadata';
const NULL_KEYS_FIELD = 'nullKeys';

/** What Neptune stores as an Upstash record's metadata. */
export interface StoredMetadata {
  readonly [METADATA_FIELD]: Record<string, Exclude<MetadataValue, null>>;
  /** Keys whose value is null: kept out of `metadata` so that `HAS NOT FIELD` is exact for them. */
  readonly [NULL_KEYS_FIELD]?: string[];
}

/**
 * Splits metadata for storage. Null values are left out of the filterable object, because Upstash's
 * filter syntax documents no way to test for a stored null, and `{ key: null }` must match both a
 * missing key and a null one; the names of the null keys are kept aside so `get()` returns the record
 * exactly as written. Nesting under `metadata` also keeps user keys apart from filter keywords.
 */
export function toStoredMetadata(metadata: Metadata | undefined): StoredMetadata {
  const values: Record<string, Exclude<MetadataValue, null>> = {};
  const nullKeys: string[] = [];
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (value === null) nullKeys.push(key);
    else values[key] = value;
  }
  return nullKeys.length === 0
    ? { [METADATA_FIELD]: values }
    : { [METADATA_FIELD]: values, [NULL_KEYS_FIELD]: nullKeys };
}

/** The metadata as written. Records not written by Neptune (no `metadata` object) read as `{}`. */
export function fromStoredMetadata(stored: unknown): Metadata {
  if (typeof stored !== 'object' || stored === null) return {};
  const { [METADATA_FIELD]: values, [NULL_KEYS_FIELD]: nullKeys } = stored as Record<string, unknown>;
  const metadata: Metadata = typeof values === 'object' && values !== null ? { ...(values as Metadata) } : {};
  if (Array.isArray(nullKeys)) for (const key of nullKeys) if (typeof key === 'string') metadata[key] = null;
  return metadata;
}
