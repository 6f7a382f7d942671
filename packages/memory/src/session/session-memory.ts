/** A fact remembered from a conversation. Facts are never overwritten: a newer one supersedes them. */
export interface MemoryFact {
  readonly id: string;
  /** A short, self-contained statement: "The budget is now $55k". */
  readonly text: string;
  /** What the fact is about; a newer fact on the same subject supersedes this one. */
  readonly subject: string;
  /** 0 to 1: how sure the extractor was. */
  readonly confidence: number;
  /** The messages it was extracted from. */
  readonly sourceMessageIds: readonly string[];
  /** When it became true: the time of its source message. */
  readonly validFrom: Date;
  /** The id of the fact that replaced it; absent while it is current. */
  readonly supersededBy?: string | undefined;
  readonly supersededAt?: Date | undefined;
}

/** A named thing a conversation mentions, with how often and when. */
export interface MemoryEntity {
  readonly name: string;
  /** person, organization, place, product, date, amount, email, phone, … */
  readonly type: string;
  readonly mentions: number;
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
  /** The latest messages that mention it (at most five). */
  readonly sourceMessageIds: readonly string[];
}

/**
 * The memory of one conversation, kept in the key-value store with a TTL: entities, facts (current and
 * superseded), and a rolling summary of the turns that no longer sit in the window.
 */
export interface SessionMemory {
  readonly conversationId: string;
  readonly entities: readonly MemoryEntity[];
  /** Current and superseded facts, oldest first. `currentFacts()` filters the current ones. */
  readonly facts: readonly MemoryFact[];
  /** Folded older turns; empty until the first fold. */
  readonly summary: string;
  /** Time of the oldest message in the summary, so retention can drop a summary that outlived it. */
  readonly summarySince?: Date | undefined;
  /** Messages up to this sequence number are in the summary and no longer in the window. */
  readonly summarizedThroughSequence: number;
  /** Messages up to this sequence number have been through extraction. */
  readonly extractedThroughSequence: number;
  /** User turns appended since the last fold. */
  readonly turnsSinceSummary: number;
  readonly updatedAt: Date;
}

export function emptySessionMemory(conversationId: string, now: Date): SessionMemory {
  return {
    conversationId,
    entities: [],
    facts: [],
    summary: '',
    summarizedThroughSequence: 0,
    extractedThroughSequence: 0,
    turnsSinceSummary: 0,
    updatedAt: now,
  };
}

/** Facts not superseded, oldest first. */
export function currentFacts(memory: Pick<SessionMemory, 'facts'>): MemoryFact[] {
  return memory.facts.filter((fact) => fact.supersededBy === undefined);
}
