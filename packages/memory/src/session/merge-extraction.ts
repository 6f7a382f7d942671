import type { ExtractedFact, ExtractionResult } from '@neptune/core';
import type { StoredMessage } from '../conversations/conversation-store';
import { normalizeSubject, subjectsMatch } from '../extraction/fact-subject';
import { entityKey } from '../extraction/offline-fact-extractor';
import type { MemoryEntity, MemoryFact, SessionMemory } from './session-memory';

/** Optional fields a `FactExtractor` may add to its facts; the model extractor sets both. */
export interface MemoryExtractedFact extends ExtractedFact {
  /** Subjects of known facts this one replaces, beyond its own subject. */
  readonly supersedes?: readonly string[] | undefined;
  /** Indexes, into the messages given to `extract`, of the messages it came from. */
  readonly sourceIndexes?: readonly number[] | undefined;
}

export interface MergeOptions {
  /** The messages that were given to the extractor, in order. */
  readonly messages: readonly StoredMessage[];
  readonly now: Date;
  /** Most facts kept, current and superseded; the oldest superseded go first. */
  readonly maxFacts: number;
  readonly maxEntities: number;
  readonly newId: () => string;
}

export interface MergeResult {
  readonly memory: SessionMemory;
  readonly added: number;
  readonly superseded: number;
}

const normalizedText = (text: string) =>
  text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.!]+$/, '')
    .trim();

function sourcesOf(fact: MemoryExtractedFact, messages: readonly StoredMessage[]): StoredMessage[] {
  const byIndex = (fact.sourceIndexes ?? [])
    .map((index) => messages[index])
    .filter((message) => message !== undefined);
  if (byIndex.length > 0) return byIndex;
  // Offline facts are quoted from one message; a paraphrase is credited to the whole batch.
  const quoted = messages.filter((message) =>
    normalizedText(message.content).includes(normalizedText(fact.text)),
  );
  return quoted.length > 0 ? quoted.slice(0, 1) : [...messages];
}

function mergeEntities(
  known: readonly MemoryEntity[],
  result: ExtractionResult,
  options: MergeOptions,
): MemoryEntity[] {
  const byKey = new Map(known.map((entity) => [entityKey(entity), entity]));
  for (const entity of result.entities) {
    const key = entityKey(entity);
    const mentioning = options.messages.filter((message) =>
      message.content.toLowerCase().includes(entity.name.toLowerCase()),
    );
    const sources = (mentioning.length > 0 ? mentioning : options.messages).map((message) => message.id);
    const existing = byKey.get(key);
    byKey.set(key, {
      name: existing?.name ?? entity.name,
      type: entity.type,
      mentions: (existing?.mentions ?? 0) + Math.max(1, mentioning.length),
      firstSeenAt: existing?.firstSeenAt ?? options.now,
      lastSeenAt: options.now,
      sourceMessageIds: [...(existing?.sourceMessageIds ?? []), ...sources].slice(-5),
    });
  }
  // Keep the most recently seen when over the limit.
  return [...byKey.values()]
    .sort((a, b) => a.lastSeenAt.getTime() - b.lastSeenAt.getTime())
    .slice(-options.maxEntities);
}

/** Drops the oldest superseded facts first, then the oldest current ones, down to `maxFacts`. */
function capFacts(facts: MemoryFact[], maxFacts: number): MemoryFact[] {
  const excess = facts.length - maxFacts;
  if (excess <= 0) return facts;
  const dropOrder = [
    ...facts.filter((fact) => fact.supersededBy !== undefined),
    ...facts.filter((fact) => fact.supersededBy === undefined),
  ];
  const dropped = new Set(dropOrder.slice(0, excess).map((fact) => fact.id));
  return facts.filter((fact) => !dropped.has(fact.id));
}

/**
 * Folds one extraction into a session memory. A fact with the same text as a current one adds its
 * sources to it; a fact on the subject of a current one (or naming it in `supersedes`) supersedes it: the
 * old fact stays, marked with the new one's id and the time. Nothing is overwritten or silently dropped
 * below `maxFacts`.
 */
export function mergeExtraction(
  memory: SessionMemory,
  result: ExtractionResult,
  options: MergeOptions,
): MergeResult {
  const facts: MemoryFact[] = [...memory.facts];
  let added = 0;
  let superseded = 0;
  for (const candidate of result.facts as readonly MemoryExtractedFact[]) {
    const text = candidate.text.trim();
    if (text === '') continue;
    const sources = sourcesOf(candidate, options.messages);
    const sourceIds = sources.map((message) => message.id);
    const same = facts.findIndex(
      (fact) => fact.supersededBy === undefined && normalizedText(fact.text) === normalizedText(text),
    );
    if (same !== -1) {
      const fact = facts[same]!;
      facts[same] = { ...fact, sourceMessageIds: [...new Set([...fact.sourceMessageIds, ...sourceIds])] };
      continue;
    }
    const subject = normalizeSubject(candidate.subject);
    const replaced = new Set((candidate.supersedes ?? []).map(normalizeSubject));
    const fact: MemoryFact = {
      id: options.newId(),
      text,
      subject,
      confidence: Math.min(1, Math.max(0, candidate.confidence)),
      sourceMessageIds: sourceIds,
      validFrom:
        sources.length === 0
          ? options.now
          : new Date(Math.max(...sources.map((message) => message.createdAt.getTime()))),
    };
    for (const [index, old] of facts.entries()) {
      if (old.supersededBy !== undefined) continue;
      if (subjectsMatch(subject, old.subject) || replaced.has(old.subject)) {
        facts[index] = { ...old, supersededBy: fact.id, supersededAt: options.now };
        superseded++;
      }
    }
    facts.push(fact);
    added++;
  }
  return {
    memory: {
      ...memory,
      facts: capFacts(facts, options.maxFacts),
      entities: mergeEntities(memory.entities, result, options),
      updatedAt: options.now,
    },
    added,
    superseded,
  };
}
