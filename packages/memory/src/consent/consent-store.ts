import type { Scope } from '@neptune/core';

/** What a user allows memory to do with their data. */
export interface ConsentSettings {
  /** Extract entities and facts and keep summaries of their conversations (session memory). */
  readonly extraction: boolean;
  /** Learn from their actions: workflow patterns, timing, and their share of workspace intelligence. */
  readonly learning: boolean;
}

export interface ConsentRecord extends ConsentSettings {
  readonly updatedAt: Date;
}

/**
 * Per-user consent, kept durably: an opt-out must never be lost to a cache eviction, so it lives beside
 * the conversations rather than in the key-value store. Takes user scopes; `deleteScope` also a workspace's.
 */
export interface ConsentStore {
  readonly name: string;
  /** `undefined` when the user never chose; memory then applies its `consentDefaults`. */
  get(scope: Scope): Promise<ConsentRecord | undefined>;
  set(scope: Scope, settings: ConsentSettings): Promise<ConsentRecord>;
  /** Removes the user's record, or (workspace scope) every record of the workspace; returns how many. */
  deleteScope(scope: Scope): Promise<number>;
  close?(): Promise<void>;
}
