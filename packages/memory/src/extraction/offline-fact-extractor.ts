import {
  type ChatRole,
  type ExtractedEntity,
  type FactExtractor,
  parseOptions,
  throwIfAborted,
} from '@neptune/core';
import { z } from 'zod';
import { findEntities } from './find-entities';
import { findFacts } from './find-facts';

const optionsShape = {
  /**
   * Whose messages facts are taken from. Default `['user']`: assistant turns mostly restate what the user
   * said, and a heuristic cannot tell a confirmed fact from a suggestion. Entities come from every message.
   */
  factRoles: z
    .array(z.enum(['user', 'assistant', 'system']))
    .min(1)
    .readonly()
    .optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape, z.core.$strict> = z.strictObject(optionsShape);

/** Options of `offlineFactExtractor`. */
export type OfflineFactExtractorOptions = z.input<typeof optionsSchema>;

/** Case- and space-insensitive identity of an entity, so repeated mentions count once. */
export function entityKey(entity: ExtractedEntity): string {
  return `${entity.type}:${entity.name.toLowerCase().replace(/\s+/g, ' ').replace(/\.$/, '')}`;
}

/**
 * The no-key default `FactExtractor`: regular expressions and a small gazetteer, no model and no network.
 * Finds emails, phone numbers, amounts, dates, places, organisations, people and software names, and
 * facts from statement patterns, each with a subject so that a newer fact on the same subject supersedes
 * the older one. Its precision and recall on a labelled set are in docs/memory.md.
 */
export function offlineFactExtractor(options: OfflineFactExtractorOptions = {}): FactExtractor {
  const checked = parseOptions(optionsSchema, options, 'offlineFactExtractor options');
  const factRoles = new Set<ChatRole>(checked.factRoles ?? ['user']);
  return {
    name: 'offline',
    async extract(messages, callOptions) {
      throwIfAborted(callOptions?.signal, 'Fact extraction');
      const entities = new Map<string, ExtractedEntity>();
      const facts = [];
      for (const message of messages) {
        for (const { name, type } of findEntities(message.content)) {
          const entity = { name, type };
          if (!entities.has(entityKey(entity))) entities.set(entityKey(entity), entity);
        }
        if (factRoles.has(message.role)) facts.push(...findFacts(message.content, findEntities));
      }
      return { entities: [...entities.values()], facts };
    },
  };
}
