import { readFileSync } from 'node:fs';
import { createAssistant } from '@neptune/assistant';
import { createCache } from '@neptune/cache';
import { assembleContext, createContextGatherer, defineContextSource } from '@neptune/context';
import { createTelemetryChannel } from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { createMemory } from '@neptune/memory';
import { createKnowledgeBase } from '@neptune/rag';
import { z } from 'zod';

const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
const articles = readFileSync('examples/pipeline/data/knowledge-base.jsonl', 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const cache = createCache();
const knowledge = createKnowledgeBase({ cache });
await knowledge.ingest({ workspaceId: 'w' }, articles);
const tickets = defineContextSource({
  kind: 'tickets',
  scope: 'user',
  ttlMs: 60_000,
  schema: z.object({ id: z.string(), subject: z.string() }),
  load: async () =>
    Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, subject: `Ticket ${i} about refunds` })),
  toItem: (r) => ({ id: r.id, type: 'ticket', title: r.subject }),
});
const gatherer = createContextGatherer({ sources: [tickets], cache });
const memory = createMemory({ consentDefaults: 'opt-out', tokenizer });
const scope = { workspaceId: 'w', userId: 'u' };
for (let i = 0; i < 40; i++)
  await memory.remember(scope, 'c', {
    user: 'How do refunds work?',
    assistant: 'Annual plans are refunded [1].',
  });
const telemetry = createTelemetryChannel();
const assistant = createAssistant({
  model: extractiveChatModel({ telemetry }),
  knowledge,
  gatherer,
  memory,
  tokenizer,
  telemetry,
  rewrite: false,
});
const query = 'How do refunds work for annual plans?';
const wired = async () => {
  const [g, r, m] = await Promise.all([
    gatherer.gather(scope, { query }),
    knowledge.retrieve({ workspaceId: 'w' }, query, { topK: 4, minRelativeScore: 0.5 }),
    memory.recall(scope, 'c', { maxTokens: 1200 }),
  ]);
  await assembleContext({
    query,
    items: g.items,
    passages: r.passages,
    memory: m,
    budget: { maxTokens: 6000 },
    tokenizer,
    scope,
    telemetry,
  });
};
const prep = () => assistant.prepare({ scope, conversationId: 'c', message: query });
for (let i = 0; i < 200; i++) {
  await wired();
  await prep();
}
const d: number[] = [];
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < 1000; i++) {
  let t = performance.now();
  await wired();
  const w = performance.now() - t;
  t = performance.now();
  await prep();
  const p = performance.now() - t;
  a.push(w);
  b.push(p);
  d.push(p - w);
}
const med = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1]!;
console.log(
  'wired p50',
  med(a).toFixed(3),
  'prepare p50',
  med(b).toFixed(3),
  'paired overhead',
  med(d).toFixed(3),
);
