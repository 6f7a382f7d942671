import 'server-only';
import { createCache } from '@neptune/cache';
import { lazySingleton } from '@neptune/core';
import { createKnowledgeBase, type KnowledgeBase } from '@neptune/rag';
import { keyValueStore } from './key-value-store';
import { postgresKeywordIndex } from './postgres';

/**
 * The help articles' knowledge base, once per server process. `instrumentation.ts` creates it and indexes
 * the articles when the server starts; the chat route's setup (`lib/neptune.ts`) finds it built.
 *
 * It is kept apart from the rest of the setup on purpose: Next.js bundles `instrumentation.ts` and the
 * routes separately, each with its own copy of the Neptune packages, and an object made by one copy can
 * fail inside the other's functions (class private fields are per copy). The routes only call this
 * object's own methods (`retrieve`, `ingest`, ...), which is safe; the other Neptune objects are made by
 * the routes' copy.
 */
export const helpKnowledge = lazySingleton(
  'neptune.examples.nextjs-assistant.knowledge',
  async (): Promise<KnowledgeBase> => {
    const [store, keywordIndex] = await Promise.all([keyValueStore(), postgresKeywordIndex()]);
    return createKnowledgeBase({ cache: createCache({ store }), keywordIndex });
  },
);
