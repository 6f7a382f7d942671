import type { ExperimentAssignment, KeyValueStore, Scope } from '@neptune/core';

/** What the assistant remembers of a request it answered, so that feedback on it can be checked. */
export interface LedgerEntry {
  /** The user who asked; feedback from anyone else in the workspace is refused. */
  readonly userId: string | undefined;
  /** Ids of the passages in the prompt: the ones feedback may name. */
  readonly passageIds: readonly string[];
  readonly experiment: ExperimentAssignment | undefined;
  /** Epoch ms. */
  readonly at: number;
}

/** A stored rating; the comment never leaves the workspace's scope (no event, no metric carries it). */
export interface StoredFeedback {
  readonly requestId: string;
  readonly userId: string | undefined;
  readonly positive: boolean;
  readonly score: number;
  readonly rating: 'up' | 'down' | number;
  readonly comment: string | undefined;
  readonly passageIds: readonly string[];
  readonly experiment: ExperimentAssignment | undefined;
  readonly at: number;
}

/** Thirty days: long enough to rate an answer from last month, short enough to bound the ledger. */
export const DEFAULT_FEEDBACK_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

const requestKey = (requestId: string) => `assistant:request:${requestId}`;
const feedbackKey = (requestId: string) => `assistant:feedback:${requestId}`;

/**
 * The requests the assistant issued, per workspace, in the app's key-value store: one entry per request
 * under the workspace's scope (so one workspace can never look up another's), each expiring after
 * `retentionMs`, which bounds the ledger.
 */
export class RequestLedger {
  constructor(
    private readonly store: KeyValueStore,
    private readonly retentionMs: number,
  ) {}

  async record(scope: Scope, requestId: string, entry: LedgerEntry): Promise<void> {
    await this.store.set(workspaceOf(scope), requestKey(requestId), JSON.stringify(entry), {
      ttlMs: this.retentionMs,
    });
  }

  async lookup(scope: Scope, requestId: string): Promise<LedgerEntry | undefined> {
    const text = await this.store.get(workspaceOf(scope), requestKey(requestId));
    return text === undefined ? undefined : (JSON.parse(text) as LedgerEntry);
  }

  /** Stores the rating once; false when the request was rated already. */
  async saveFeedback(scope: Scope, feedback: StoredFeedback): Promise<boolean> {
    return this.store.set(workspaceOf(scope), feedbackKey(feedback.requestId), JSON.stringify(feedback), {
      ttlMs: this.retentionMs,
      onlyIfAbsent: true,
    });
  }

  /** The workspace's ratings (comments included), newest first, at most `limit`. */
  async listFeedback(scope: Scope, limit: number): Promise<StoredFeedback[]> {
    const workspace = workspaceOf(scope);
    const keys: string[] = [];
    for await (const key of this.store.list(workspace, { prefix: 'assistant:feedback:' })) keys.push(key);
    const texts = await this.store.getMany(workspace, keys);
    return texts
      .flatMap((text) => (text === undefined ? [] : [JSON.parse(text) as StoredFeedback]))
      .sort((a, b) => b.at - a.at)
      .slice(0, limit);
  }
}

function workspaceOf(scope: Scope): Scope {
  return { workspaceId: scope.workspaceId };
}
