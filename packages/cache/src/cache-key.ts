import { parseInput, type Scope, scopeKeys } from '@neptune/core';
import { z } from 'zod';

/** What a cached value is: a kind (`'crm'`), or a kind and an id within it (`{ kind: 'rag', id: hash }`). */
export type CacheKey = string | { readonly kind: string; readonly id?: string | undefined };

/** Where one cached value lives. Built by `address()` and nowhere else. */
export interface CacheAddress {
  /** The validated scope. */
  readonly scope: Scope;
  /** For a user scope, its workspace: workspace-level invalidations apply to the users' entries too. */
  readonly workspace: Scope | undefined;
  readonly kind: string;
  readonly id: string | undefined;
  /** `context:{kind}[:{id}]`, relative to the scope (the store prepends `neptune:ws:{workspaceId}:…:k:`). */
  readonly entryKey: string;
  /** `context-lock:{kind}[:{id}]`: the short lock that lets one process load while the others wait. */
  readonly lockKey: string;
  /** The scope prefix plus the entry key: unique in the process, for the memory tier and in-flight loads. */
  readonly localKey: string;
}

const KIND = /^[A-Za-z0-9_.-]{1,64}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;
// A lone surrogate cannot be encoded (stores escape tags with encodeURIComponent): refused up front, so
// that no call writes the value and then fails on its tags.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_ID_LENGTH = 512;
const MAX_TAG_LENGTH = 256;

const kindSchema = z
  .string()
  .regex(KIND, 'must be 1 to 64 letters, digits, _ . or - (no ":"), like "crm" or "rag-results"');
const textSchema = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((text) => !CONTROL.test(text), 'must not contain control characters')
    .refine((text) => !LONE_SURROGATE.test(text), 'must be well-formed Unicode (it holds a lone surrogate)');
const keySchema = z.union([
  kindSchema,
  z.object({ kind: kindSchema, id: textSchema(MAX_ID_LENGTH).optional() }),
]);
const tagsSchema = z.array(textSchema(MAX_TAG_LENGTH)).max(64, 'at most 64 tags');

function validText(text: unknown, max: number): text is string {
  return (
    typeof text === 'string' &&
    text.length > 0 &&
    text.length <= max &&
    !CONTROL.test(text) &&
    !LONE_SURROGATE.test(text)
  );
}

export function checkKind(kind: unknown): string {
  return typeof kind === 'string' && KIND.test(kind) ? kind : parseInput(kindSchema, kind, 'cache kind');
}

/** Tags, validated, de-duplicated and sorted so that the same set always gives the same stamp keys. */
export function checkTags(tags: unknown): readonly string[] {
  if (tags === undefined) return [];
  if (Array.isArray(tags) && tags.length <= 64 && tags.every((tag) => validText(tag, MAX_TAG_LENGTH))) {
    return tags.length < 2 ? (tags as string[]) : [...new Set(tags as string[])].sort();
  }
  return parseInput(tagsSchema, tags, 'cache tags');
}

/**
 * The cache's keys, all relative to a scope, so the store's single scoping rule applies to every one:
 * entries `context:{kind}[:{id}]`, locks `context-lock:…`, invalidation stamps `context-stamp:…`.
 */
export interface CacheKeyspace {
  address(scope: Scope, key: CacheKey): CacheAddress;
  kindStamp(kind: string): string;
  tagStamp(tag: string): string;
}

export function createCacheKeyspace(namespace: string): CacheKeyspace {
  return {
    address(scope, key) {
      const known = scopeKeys(scope);
      let kind: string;
      let id: string | undefined;
      if (typeof key === 'string' && KIND.test(key)) kind = key;
      else if (
        typeof key === 'object' &&
        key !== null &&
        typeof key.kind === 'string' &&
        KIND.test(key.kind)
      ) {
        kind = key.kind;
        id = key.id;
        if (id !== undefined && !validText(id, MAX_ID_LENGTH)) parseInput(keySchema, key, 'cache key');
      } else {
        parseInput(keySchema, key, 'cache key');
        throw new Error('unreachable: the cache key schema accepted what the fast check refused');
      }
      const suffix = id === undefined ? kind : `${kind}:${id}`;
      const entryKey = `${namespace}:${suffix}`;
      return {
        scope: known.scope,
        workspace: known.workspace,
        kind,
        id,
        entryKey,
        lockKey: `${namespace}-lock:${suffix}`,
        localKey: known.keyPrefix + entryKey,
      };
    },
    kindStamp: (kind) => `${namespace}-stamp:kind:${kind}`,
    tagStamp: (tag) => `${namespace}-stamp:tag:${tag}`,
  };
}
