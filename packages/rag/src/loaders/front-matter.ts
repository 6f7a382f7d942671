import type { Metadata, MetadataValue } from '@neptune/core';
import { RESERVED_METADATA_KEYS } from '../ingestion/source-document';
import { DocumentLoadError } from './document-load-error';
import { optionalPackage } from './optional-package';

/** A document split from its front matter: the body, and the title and metadata the front matter gave. */
export interface FrontMatter {
  readonly body: string;
  readonly title: string | undefined;
  readonly metadata: Metadata;
}

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

function isScalar(value: unknown): value is string | number | boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** A YAML value as metadata: scalars and lists of scalars as they are, dates as ISO text, the rest as JSON. */
function metadataValue(value: unknown): MetadataValue {
  if (value === null || isScalar(value)) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) && value.every(isScalar)) return value;
  return JSON.stringify(value);
}

/**
 * Splits YAML front matter from a Markdown file. `title` becomes the title; other keys become metadata,
 * with characters a metadata key cannot hold (`last-updated`) turned into `_`. Keys Neptune sets on every
 * chunk (`source`, `headings`, ...) are left out so they cannot overwrite Neptune's.
 */
export async function parseFrontMatter(file: string, text: string): Promise<FrontMatter> {
  const match = FRONT_MATTER.exec(text);
  if (!match) return { body: text, title: undefined, metadata: {} };
  const { parse } = await optionalPackage(file, 'yaml', () => import('yaml'));
  let data: unknown;
  try {
    data = parse(match[1]!);
  } catch (error) {
    const reason = `has front matter that is not valid YAML (${(error as Error).message.split('\n')[0]})`;
    throw new DocumentLoadError({ file, reason, cause: error });
  }
  const metadata: Record<string, MetadataValue> = {};
  let title: string | undefined;
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    for (const [rawKey, value] of Object.entries(data)) {
      if (rawKey === 'title' && isScalar(value)) {
        title = String(value);
        continue;
      }
      const key = rawKey
        .replace(/[^A-Za-z0-9_]/g, '_')
        .replace(/^(?=\d)/, '_')
        .slice(0, 64);
      if (key === '' || (RESERVED_METADATA_KEYS as readonly string[]).includes(key)) continue;
      metadata[key] = metadataValue(value);
    }
  }
  return { body: text.slice(match[0].length), title, metadata };
}
