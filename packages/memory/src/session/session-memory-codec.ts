import { z } from 'zod';
import type { SessionMemory } from './session-memory';

/**
 * The stored form of a session memory: JSON with dates as epoch milliseconds and a version, validated on
 * every read so that a corrupt or foreign value is never handed to the caller as memory.
 */
const epoch = z.number().int();
const storedFact = z.object({
  id: z.string(),
  text: z.string(),
  subject: z.string(),
  confidence: z.number(),
  sourceMessageIds: z.array(z.string()),
  validFrom: epoch,
  supersededBy: z.string().optional(),
  supersededAt: epoch.optional(),
});
const storedEntity = z.object({
  name: z.string(),
  type: z.string(),
  mentions: z.number().int(),
  firstSeenAt: epoch,
  lastSeenAt: epoch,
  sourceMessageIds: z.array(z.string()),
});
const storedMemory = z.object({
  v: z.literal(1),
  conversationId: z.string(),
  entities: z.array(storedEntity),
  facts: z.array(storedFact),
  summary: z.string(),
  summarySince: epoch.optional(),
  summarizedThroughSequence: z.number().int().min(0),
  extractedThroughSequence: z.number().int().min(0),
  turnsSinceSummary: z.number().int().min(0),
  updatedAt: epoch,
});

export function encodeSessionMemory(memory: SessionMemory): string {
  const stored: z.input<typeof storedMemory> = {
    v: 1,
    conversationId: memory.conversationId,
    entities: memory.entities.map((entity) => ({
      ...entity,
      sourceMessageIds: [...entity.sourceMessageIds],
      firstSeenAt: entity.firstSeenAt.getTime(),
      lastSeenAt: entity.lastSeenAt.getTime(),
    })),
    facts: memory.facts.map((fact) => ({
      id: fact.id,
      text: fact.text,
      subject: fact.subject,
      confidence: fact.confidence,
      sourceMessageIds: [...fact.sourceMessageIds],
      validFrom: fact.validFrom.getTime(),
      ...(fact.supersededBy === undefined ? {} : { supersededBy: fact.supersededBy }),
      ...(fact.supersededAt === undefined ? {} : { supersededAt: fact.supersededAt.getTime() }),
    })),
    summary: memory.summary,
    ...(memory.summarySince === undefined ? {} : { summarySince: memory.summarySince.getTime() }),
    summarizedThroughSequence: memory.summarizedThroughSequence,
    extractedThroughSequence: memory.extractedThroughSequence,
    turnsSinceSummary: memory.turnsSinceSummary,
    updatedAt: memory.updatedAt.getTime(),
  };
  return JSON.stringify(stored);
}

/** The memory in `text`, or undefined when it is not a valid stored memory. */
export function decodeSessionMemory(text: string): SessionMemory | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = storedMemory.safeParse(json);
  if (!parsed.success) return undefined;
  const stored = parsed.data;
  return {
    conversationId: stored.conversationId,
    entities: stored.entities.map((entity) => ({
      ...entity,
      firstSeenAt: new Date(entity.firstSeenAt),
      lastSeenAt: new Date(entity.lastSeenAt),
    })),
    facts: stored.facts.map((fact) => ({
      ...fact,
      validFrom: new Date(fact.validFrom),
      supersededAt: fact.supersededAt === undefined ? undefined : new Date(fact.supersededAt),
    })),
    summary: stored.summary,
    summarySince: stored.summarySince === undefined ? undefined : new Date(stored.summarySince),
    summarizedThroughSequence: stored.summarizedThroughSequence,
    extractedThroughSequence: stored.extractedThroughSequence,
    turnsSinceSummary: stored.turnsSinceSummary,
    updatedAt: new Date(stored.updatedAt),
  };
}
