// A burst of 1,000 concurrent chat requests against a limit of 100, through the assistant's handler,
// with the counters on real Redis (TCP, ioredis) and on Upstash's REST protocol (the real
// @upstash/redis client against the local REST stand-in in front of the same Redis): exactly 100 answer.

import { redisKeyValueStore } from '@neptune/cache/redis';
import { startUpstashRestServer, type UpstashRestServer } from '@neptune/cache/testing';
import { upstashKeyValueStore } from '@neptune/cache/upstash';
import type { KeyValueStore } from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import { describeWithService, randomTestId } from '@neptune/core/testing';
import { createTokenizer } from '@neptune/core/tokenizer';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAssistant, createWorkspaceQuota } from '../src';
import { helpKnowledgeBase, WORKSPACE } from './help-articles';

const BURST = 1_000;
const LIMIT = 100;

describeWithService('REDIS_URL', 'quotas under a burst of 1,000 concurrent requests', (redisUrl) => {
  const admin = new Redis(redisUrl);
  let server: UpstashRestServer;
  const prefix = `${randomTestId('neptune-quota-')}:`;
  beforeAll(async () => {
    server = await startUpstashRestServer({ redisUrl });
  });
  afterAll(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await server.close();
    await admin.quit();
  });

  async function burst(store: KeyValueStore, workspaceId: string) {
    const knowledge = await helpKnowledgeBase();
    const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
    // One clock reading for the whole burst: a burst that crossed the top of the hour counted its
    // requests in one window and read the next one's counter (a CI run at 20:00 did).
    const startedAt = Date.now();
    const quota = createWorkspaceQuota({
      store,
      limits: [{ windowMs: 3_600_000, requests: LIMIT }],
      now: () => startedAt,
    });
    const assistant = createAssistant({
      model: extractiveChatModel(),
      knowledge,
      knowledgeScope: () => ({ workspaceId: WORKSPACE }),
      memory: false,
      tokenizer,
      quota,
      // The burst queues behind one Redis connection and one event loop; the check must not time out.
      timeouts: { quota: 60_000 },
    });
    const handler = assistant.handler({ resolveScope: () => ({ workspaceId, userId: 'ana' }) });
    const responses = await Promise.all(
      Array.from({ length: BURST }, async () => {
        const response = await handler(
          new Request('http://localhost/api/chat', {
            method: 'POST',
            body: JSON.stringify({ message: 'How do refunds work?' }),
          }),
        );
        const body = await response.text();
        return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
      }),
    );
    const statuses = responses.map((response) => response.status);
    const counted = await store.get(
      { workspaceId },
      `quota:3600000:${Math.floor(startedAt / 3_600_000) * 3_600_000}:requests`,
    );
    return { responses, statuses, counted };
  }

  function expectExactly(result: Awaited<ReturnType<typeof burst>>) {
    expect(result.statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
    expect(result.statuses.filter((status) => status === 429)).toHaveLength(BURST - LIMIT);
    expect(result.counted).toBe(String(LIMIT));
    const refused = result.responses.find((response) => response.status === 429)!;
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'quota-exceeded' });
    // The 100 admitted were answered, not degraded: the quota was really checked.
    const answered = result.responses.filter((response) => response.status === 200);
    expect(answered.every((response) => response.body.includes('"type":"finish"'))).toBe(true);
    expect(answered.some((response) => response.body.includes('"part":"quota"'))).toBe(false);
  }

  it('Redis over TCP: exactly 100 of 1,000 pass', { timeout: 120_000 }, async () => {
    const store = redisKeyValueStore({ url: redisUrl, prefix });
    try {
      expectExactly(await burst(store, 'burst-tcp'));
    } finally {
      await store.close();
    }
  });

  it('Upstash REST (the real client through the REST stand-in): exactly 100 of 1,000 pass', {
    timeout: 120_000,
  }, async () => {
    const store = upstashKeyValueStore({ url: server.url, token: server.token, prefix });
    expectExactly(await burst(store, 'burst-rest'));
    // The client batches concurrent commands into pipelines; each EVAL in them is still one atomic step.
    expect(Object.values(server.requests).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
  });
});
