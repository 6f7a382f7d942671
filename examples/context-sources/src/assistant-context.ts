import type { Cache } from '@neptune/cache';
import {
  type AssembledContext,
  assembleContext,
  type ContextBudget,
  createContextGatherer,
  type GatheredContext,
  type InstrumentQuery,
  type PassageInput,
} from '@neptune/context';
import type { Scope, TelemetryChannel } from '@neptune/core';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { createContextSources } from './context-sources';
import { conversationWindow } from './conversation-window';

export interface AssistantContextOptions {
  readonly db: NodePgDatabase;
  readonly cache: Cache;
  readonly instrumentQuery: InstrumentQuery;
  readonly telemetry?: TelemetryChannel | undefined;
  readonly now?: (() => Date) | undefined;
}

export interface BuildMessagesOptions {
  readonly query: string;
  readonly conversationId: number;
  /** From `@neptune/rag`'s `retrieve`, when the app has a knowledge base. */
  readonly passages?: readonly PassageInput[] | undefined;
  readonly budget?: ContextBudget | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly measureUnpruned?: boolean | undefined;
}

export interface AssistantMessages {
  readonly gathered: GatheredContext;
  readonly assembled: AssembledContext;
  /** Fetching (sources and conversation window, in parallel) and assembling, in ms: worth logging. */
  readonly timings: { readonly fetchMs: number; readonly assembleMs: number };
}

/**
 * What an app's `lib/assistant-context.ts` looks like: the sources over its drizzle schema, one gatherer
 * on a shared cache, and `buildMessages`, which gathers app context and the conversation window at the
 * same time and assembles them (with any retrieved passages) into messages for the model.
 */
export function createAssistantContext(options: AssistantContextOptions) {
  const { db, instrumentQuery } = options;
  const gatherer = createContextGatherer({
    sources: createContextSources({ db, instrumentQuery, now: options.now }),
    cache: options.cache,
    telemetry: options.telemetry,
  });
  return {
    gatherer,
    async buildMessages(scope: Scope, request: BuildMessagesOptions): Promise<AssistantMessages> {
      const startedAt = performance.now();
      const [gathered, messages] = await Promise.all([
        gatherer.gather(scope, { query: request.query, signal: request.signal }),
        conversationWindow(db, instrumentQuery, { scope, conversationId: request.conversationId }),
      ]);
      const fetchedAt = performance.now();
      const assembled = await assembleContext({
        query: request.query,
        items: gathered.items,
        passages: request.passages,
        memory: { messages },
        budget: request.budget,
        measureUnpruned: request.measureUnpruned,
        now: options.now?.().getTime(),
        scope,
        telemetry: options.telemetry,
      });
      return {
        gathered,
        assembled,
        timings: { fetchMs: fetchedAt - startedAt, assembleMs: performance.now() - fetchedAt },
      };
    },
  };
}
