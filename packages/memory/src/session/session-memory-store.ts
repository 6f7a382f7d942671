import type { KeyValueStore, Scope, TelemetryChannel } from '@neptune/core';
import type { SessionMemory } from './session-memory';
import { decodeSessionMemory, encodeSessionMemory } from './session-memory-codec';

/** Key of a conversation's memory, relative to the user's scope in the key-value store. */
export const SESSION_KEY_PREFIX = 'session:';

export interface SessionMemoryStore {
  load(scope: Scope, conversationId: string): Promise<SessionMemory | undefined>;
  /** Writes the memory and restarts its TTL. */
  save(scope: Scope, memory: SessionMemory): Promise<void>;
  remove(scope: Scope, conversationId: string): Promise<boolean>;
  /** Every session memory of a user. */
  removeAll(scope: Scope): Promise<number>;
}

/**
 * Retention on read: facts, entities and a summary derived from messages older than the retention
 * period are dropped before the memory is used, and the next save removes them from the store.
 */
function withoutExpired(memory: SessionMemory, cutoff: number): SessionMemory {
  const summaryExpired = memory.summarySince !== undefined && memory.summarySince.getTime() < cutoff;
  return {
    ...memory,
    facts: memory.facts.filter((fact) => fact.validFrom.getTime() >= cutoff),
    entities: memory.entities.filter((entity) => entity.lastSeenAt.getTime() >= cutoff),
    summary: summaryExpired ? '' : memory.summary,
    summarySince: summaryExpired ? undefined : memory.summarySince,
  };
}

/** Session memories in a key-value store, one JSON entry per conversation with a TTL. */
export function createSessionMemoryStore(options: {
  keyValue: KeyValueStore;
  ttlMs: number;
  telemetry: TelemetryChannel;
  /** Messages older than this are past retention, and so is anything derived from them. */
  maxAgeMs: number;
  now: () => Date;
}): SessionMemoryStore {
  const { keyValue, ttlMs, telemetry } = options;
  const key = (conversationId: string) => SESSION_KEY_PREFIX + conversationId;
  return {
    async load(scope, conversationId) {
      const raw = await keyValue.get(scope, key(conversationId));
      if (raw === undefined) return undefined;
      const memory = decodeSessionMemory(raw);
      if (memory === undefined || memory.conversationId !== conversationId) {
        // Unreadable memory is treated as none and rebuilt from the next turns, never returned half-valid.
        if (telemetry.active) {
          telemetry.emit({
            type: 'error',
            timestamp: Date.now(),
            scope,
            source: 'memory',
            code: 'serialization-failed',
            message: `The session memory of conversation ${conversationId} could not be read and was ignored.`,
            retryable: false,
          });
        }
        return undefined;
      }
      return withoutExpired(memory, options.now().getTime() - options.maxAgeMs);
    },
    async save(scope, memory) {
      await keyValue.set(scope, key(memory.conversationId), encodeSessionMemory(memory), { ttlMs });
    },
    remove: (scope, conversationId) => keyValue.delete(scope, key(conversationId)),
    removeAll: (scope) => keyValue.deleteByPrefix(scope, SESSION_KEY_PREFIX),
  };
}
