import { parseInput, type Scope } from '@neptune/core';
import { z } from 'zod';
import type { ConsentSettings } from '../consent/consent-store';
import type { MemoryContext } from '../memory-context';
import { userScopeKeys } from '../scope-guards';
import { WORKSPACE_INSIGHTS_KEY } from '../workspace-insights';

/** Key of the cached consent, in the user's scope of the key-value store. */
export const CONSENT_CACHE_KEY = 'memory:consent';

export interface Consent extends ConsentSettings {
  /** False when the user never chose and the defaults apply. */
  readonly explicit: boolean;
}

/** What `setConsent` did: the consent now in force, and what opting out removed. */
export interface ConsentChange {
  readonly consent: Consent;
  /** What opting out removed: derived data stops existing, not only being produced. */
  readonly purged: { readonly sessionMemories: number; readonly actions: number; readonly feedback: number };
}

const cachedSchema = z.object({ extraction: z.boolean(), learning: z.boolean(), explicit: z.boolean() });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The user's consent, read from the consent store (durable) through a short cache in the key-value store,
 * since remember, recall and learning all ask. A change deletes the cache entry at once.
 */
export async function readConsent(context: MemoryContext, scope: Scope): Promise<Consent> {
  const keys = userScopeKeys(scope, 'consent');
  // The key-value store is only a cache here: when it is down, the consent store (durable) answers.
  const cached = await context.keyValue.get(keys.scope, CONSENT_CACHE_KEY).catch(() => undefined);
  const parsed = cached === undefined ? undefined : cachedSchema.safeParse(parseJson(cached));
  if (parsed?.success) return parsed.data;
  const stored = await context.consent.get(keys.scope);
  const consent: Consent = stored
    ? { extraction: stored.extraction, learning: stored.learning, explicit: true }
    : { ...context.settings.consentDefaults, explicit: false };
  await context.keyValue
    .set(keys.scope, CONSENT_CACHE_KEY, JSON.stringify(consent), {
      ttlMs: context.settings.consentCacheTtlMs,
    })
    .catch(() => undefined);
  return consent;
}

const changeSchema = z
  .object({ extraction: z.boolean().optional(), learning: z.boolean().optional() })
  .strict()
  .refine(
    (change) => change.extraction !== undefined || change.learning !== undefined,
    'set extraction, learning or both',
  );

/**
 * Records the user's choice. Opting out of extraction deletes their session memories; opting out of
 * learning deletes their action history and suggestion feedback (and the workspace's cached insights,
 * which counted them). Conversations themselves are kept: they are the user's chat history, not derived.
 */
export async function changeConsent(
  context: MemoryContext,
  scope: Scope,
  change: Partial<ConsentSettings>,
): Promise<ConsentChange> {
  const keys = userScopeKeys(scope, 'setConsent');
  const checked = parseInput(changeSchema, change, 'consent change');
  const current = await readConsent(context, keys.scope);
  const next = {
    extraction: checked.extraction ?? current.extraction,
    learning: checked.learning ?? current.learning,
  };
  await context.consent.set(keys.scope, next);
  await context.keyValue.delete(keys.scope, CONSENT_CACHE_KEY);
  const purged = { sessionMemories: 0, actions: 0, feedback: 0 };
  if (!next.extraction) purged.sessionMemories = await context.sessions.removeAll(keys.scope);
  if (!next.learning) {
    const removed = await context.actions.deleteScope(keys.scope);
    purged.actions = removed.actions;
    purged.feedback = removed.feedback;
    await context.keyValue.delete({ workspaceId: keys.filter.workspaceId }, WORKSPACE_INSIGHTS_KEY);
  }
  return { consent: { ...next, explicit: true }, purged };
}
