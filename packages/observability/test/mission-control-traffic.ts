import type { NeptuneEvent, TelemetryChannel } from '@neptune/core';
import { MINUTE_MS } from '../src/metrics/metrics-store';

/** A seeded generator (mulberry32): the same traffic, hence the same page, on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An hour of a busy assistant in one workspace, emitted as the real event sequence of each request:
 * latencies around a second with a slow spell twenty minutes ago, cache hit rates near the target, a mix
 * of models (one missing from the price table), slow queries and the odd failure.
 */
export function emitHourOfTraffic(
  telemetry: TelemetryChannel,
  options: { workspaceId: string; nowMs: number; seed: number; requestsPerMinute: number },
): number {
  const random = seededRandom(options.seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const scope = { workspaceId: options.workspaceId };
  let emitted = 0;
  for (let minute = 59; minute >= 0; minute--) {
    const minuteStart = Math.floor(options.nowMs / MINUTE_MS) * MINUTE_MS - minute * MINUTE_MS;
    const slowSpell = minute >= 18 && minute <= 24;
    // The current minute has run only until now: a share of the traffic.
    const share = Math.min(1, (options.nowMs - minuteStart) / MINUTE_MS);
    const requests = Math.max(1, Math.round(share * options.requestsPerMinute * (0.7 + 0.6 * random())));
    for (let index = 0; index < requests; index++) {
      const requestId = `${options.workspaceId}-${minute}-${index}`;
      const base = { scope, requestId };
      const durationMs = Math.round(Math.exp(Math.log(slowSpell ? 2_300 : 950) + 0.45 * gaussian()));
      const endMs = minuteStart + Math.floor(random() * Math.min(MINUTE_MS - 1, options.nowMs - minuteStart));
      const startMs = endMs - durationMs;
      const hitChance = slowSpell ? 0.55 : 0.78;
      const model = random() < 0.04 ? 'acme-finetune' : random() < 0.15 ? 'gpt-4.1' : 'gpt-4o-mini';
      const inputTokens = Math.round(3_200 + 900 * gaussian());
      const passages = Math.max(0, Math.round(5 + 2 * gaussian()));
      const ok = random() > 0.012;
      const events: NeptuneEvent[] = [
        { type: 'request-start', timestamp: startMs, ...base, route: '/api/assistant/chat' },
      ];
      for (const kind of ['context', 'rag', 'user_prefs']) {
        const type = random() < hitChance ? 'cache-hit' : 'cache-miss';
        events.push({
          type,
          timestamp: startMs + 2,
          ...base,
          kind,
          durationMs: 0.5,
          tokensSaved: type === 'cache-hit' && kind === 'rag' ? 600 : undefined,
        });
      }
      events.push(
        {
          type: 'db-query',
          timestamp: startMs + 60,
          ...base,
          name: random() < 0.5 ? 'crm.leads' : 'messages.recent',
          durationMs: Math.round(Math.exp(Math.log(35) + 0.8 * gaussian())),
          slow: false,
        },
        {
          type: 'context-gather',
          timestamp: startMs + 180,
          ...base,
          durationMs: Math.round(Math.exp(Math.log(slowSpell ? 420 : 170) + 0.4 * gaussian())),
          sources: 3,
          failed: [],
          cacheHits: 2,
        },
        {
          type: 'embedding-call',
          timestamp: startMs + 200,
          ...base,
          provider: 'openai',
          model: 'text-embedding-3-small',
          inputs: 1,
          inputTokens: 24,
          durationMs: 60,
        },
        {
          type: 'retrieval-end',
          timestamp: startMs + 260,
          ...base,
          durationMs: Math.round(Math.exp(Math.log(120) + 0.5 * gaussian())),
          results: passages,
          legs: ['vector', 'keyword', 'rerank'],
          cached: random() < 0.2,
        },
        {
          type: 'context-assemble',
          timestamp: startMs + 270,
          ...base,
          tokensBefore: inputTokens + 2_400,
          tokensAfter: inputTokens,
          items: 14,
          dropped: 5,
        },
        {
          type: 'model-call',
          timestamp: endMs - 3,
          requestId,
          provider: 'openai',
          model,
          operation: 'stream',
          inputTokens,
          cachedInputTokens: Math.round(inputTokens * 0.3),
          outputTokens: Math.round(380 + 120 * gaussian()),
          durationMs: Math.max(100, durationMs - 300),
          timeToFirstTokenMs: 420,
          finishReason: 'stop',
        },
      );
      if (!ok)
        events.push({
          type: 'error',
          timestamp: endMs - 1,
          ...base,
          source: random() < 0.5 ? 'openai' : 'rag',
          code: random() < 0.5 ? 'rate-limited' : 'timeout',
          message: 'details withheld',
          retryable: true,
        });
      events.push({
        type: 'request-end',
        timestamp: endMs,
        ...base,
        durationMs,
        timeToFirstTokenMs: 520,
        passages,
        ok,
      });
      for (const event of events) telemetry.emit(event);
      emitted++;
    }
  }
  return emitted;
}
