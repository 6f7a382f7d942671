// docs/observability/sentry-alerts.md is code: each alert rule on the page is parsed here and checked
// against what sentrySink really sends for a request's events (span ops, span attributes, error tags),
// and its thresholds against the targets the summary holds figures to. A rule naming an op or attribute
// the sink does not send would never fire; this test fails instead.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTelemetryChannel, type NeptuneEvent } from '@neptune/core';
import { TARGETS } from '@neptune/observability';
import { sentrySink } from '@neptune/observability/sentry';
import { describe, expect, it } from 'vitest';
import { emitAll, requestEvents } from '../src/testing/simulated-traffic';

const PAGE = join(import.meta.dirname, '../../../docs/observability/sentry-alerts.md');

interface IssueRule {
  readonly name: string;
  readonly filters: ReadonlyArray<{ id: string; key: string; match: string; value: string }>;
  readonly conditions: ReadonlyArray<{ id: string }>;
}
interface MetricRule {
  readonly name: string;
  readonly dataset: string;
  readonly query: string;
  readonly aggregate: string;
  readonly thresholdType: number;
  readonly resolveThreshold: number;
  readonly triggers: ReadonlyArray<{ label: string; alertThreshold: number }>;
}

function rules(kind: 'issue' | 'metric'): unknown[] {
  const markdown = readFileSync(PAGE, 'utf8');
  const pattern = new RegExp(`<!-- sentry-alert: ${kind} -->\\s*\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``, 'g');
  return [...markdown.matchAll(pattern)].map((match) => JSON.parse(match[1]!) as unknown);
}

/** What the sink sends for one request with a cache hit and miss, a slow query and a failure. */
function sent() {
  const spans: Array<{ op: string; attributes: Record<string, unknown> }> = [];
  const tags: Array<Record<string, string>> = [];
  const telemetry = createTelemetryChannel();
  sentrySink({
    sentry: {
      captureException(_exception, hint) {
        tags.push((hint?.tags ?? {}) as Record<string, string>);
        return 'id';
      },
      startInactiveSpan(options) {
        const attributes: Record<string, unknown> = { ...options.attributes };
        spans.push({ op: options.op ?? '', attributes });
        return {
          setAttribute: (key, value) => {
            attributes[key] = value;
          },
          setStatus() {},
          end() {},
        };
      },
      flush: async () => true,
    },
  }).subscribe(telemetry);
  const endMs = Date.UTC(2026, 11, 7, 10, 0, 0);
  const events: NeptuneEvent[] = [
    ...requestEvents({
      workspaceId: 'acme',
      requestId: 'r1',
      endMs,
      durationMs: 900,
      cacheHits: [{ kind: 'crm' }],
      cacheMisses: ['rag'],
      passages: 2,
      model: 'gpt-4o',
      inputTokens: 900,
      cachedInputTokens: 0,
      outputTokens: 120,
    }),
    {
      type: 'db-query',
      timestamp: endMs,
      requestId: 'r1',
      scope: { workspaceId: 'acme' },
      name: 'crm.leads',
      durationMs: 800,
      slow: true,
    },
    {
      type: 'error',
      timestamp: endMs,
      requestId: 'r1',
      scope: { workspaceId: 'acme' },
      source: 'rag',
      code: 'store-unavailable',
      message: 'x',
      retryable: true,
    },
  ];
  emitAll(telemetry, events);
  return { spans, tags };
}

describe('docs/observability/sentry-alerts.md', () => {
  const { spans, tags } = sent();

  it('holds the plan four alerts: one issue alert and three metric alerts', () => {
    expect(rules('issue')).toHaveLength(1);
    expect(rules('metric')).toHaveLength(3);
  });

  it('filters the issue alert on tags the sink puts on every captured error', () => {
    const [rule] = rules('issue') as IssueRule[];
    expect(tags.length).toBeGreaterThan(0);
    for (const filter of rule!.filters) {
      expect(filter.match).toBe('eq');
      for (const captured of tags) expect(captured[filter.key], filter.key).toBe(filter.value);
    }
  });

  it('queries only span ops and attributes the sink sends, with values it sends', () => {
    for (const rule of rules('metric') as MetricRule[]) {
      expect(rule.dataset).toBe('events_analytics_platform');
      const terms = rule.query.split(/\s+/).map((term) => term.split(':') as [string, string]);
      const op = terms.find(([key]) => key === 'span.op')?.[1];
      const matching = spans.filter((span) => span.op === op);
      expect(matching.length, `${rule.name}: no span with op ${op}`).toBeGreaterThan(0);
      for (const [key, value] of terms.filter(([key]) => key !== 'span.op')) {
        expect(
          matching.some((span) => String(span.attributes[key]) === value),
          `${rule.name}: no ${op} span with ${key}:${value}`,
        ).toBe(true);
      }
      if (rule.aggregate === 'cache_miss_rate()') {
        expect(matching.map((span) => span.attributes['cache.hit']).sort()).toEqual([false, true]);
      }
    }
  });

  it('sets the thresholds from the targets the summary holds figures to', () => {
    const byName = new Map((rules('metric') as MetricRule[]).map((rule) => [rule.name, rule]));
    const slow = byName.get('Neptune: slow answers (p95)')!;
    const threshold = (rule: MetricRule, label: string) =>
      rule.triggers.find((trigger) => trigger.label === label)?.alertThreshold;
    expect(threshold(slow, 'critical')).toBe(TARGETS['response-time-p95'].defaultValue);
    expect(threshold(slow, 'warning')).toBe(TARGETS['response-time-average'].defaultValue);
    const cache = byName.get('Neptune: cache hit rate under 70%')!;
    expect(threshold(cache, 'critical')).toBeCloseTo(1 - TARGETS['cache-hit-rate'].defaultValue, 10);
    for (const rule of byName.values()) {
      // Above the threshold fires (thresholdType 0), and the rule resolves below where it fired.
      expect(rule.thresholdType).toBe(0);
      for (const trigger of rule.triggers) expect(rule.resolveThreshold).toBeLessThan(trigger.alertThreshold);
    }
  });
});
