import type { TelemetryChannel } from '@neptune/core';
import { DEMO_WORKSPACE } from './help-articles';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Deterministic noise in [0, 1), so the seeded month looks the same on every start. */
function noise(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43_758.5453;
  return x - Math.floor(x);
}

/**
 * Thirty days of made-up traffic for the demo's dashboard (`NEPTUNE_DEMO_HISTORY=1`), emitted as the
 * telemetry a real month would have produced: requests under both variants of the experiment, their
 * model calls, ratings and answers to memory's suggestions. Every event is from before today (UTC), so
 * the hour view shows only live traffic; the 30-day trend shows the month. Never in a real app.
 */
export function seedDemoHistory(
  telemetry: TelemetryChannel,
  options: { readonly experiment: string; readonly variants: readonly string[]; readonly model: string },
): void {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  for (let daysAgo = 29; daysAgo >= 1; daysAgo--) {
    // Around noon (UTC) of each of the 29 days before today.
    const dayStart = today - daysAgo * DAY_MS + 12 * HOUR_MS;
    const requests = 24 + Math.round(16 * noise(daysAgo));
    for (let index = 0; index < requests; index++) {
      const seed = daysAgo * 1_000 + index;
      const variant = options.variants[index % options.variants.length]!;
      // The second variant answers a little better: more citations used, more thumbs up.
      const better = variant !== options.variants[0];
      const timestamp = dayStart - index * 60_000;
      const requestId = `history-${daysAgo}-${index}`;
      const scope = { workspaceId: DEMO_WORKSPACE, userId: `user-${index % 12}` };
      const experiment = { id: options.experiment, variant };
      const durationMs = 600 + Math.round(900 * noise(seed + 0.5));
      telemetry.emit({ type: 'request-start', timestamp, scope, requestId, route: '/api/chat', experiment });
      telemetry.emit({
        type: 'model-call',
        timestamp,
        scope,
        requestId,
        provider: 'offline',
        model: options.model,
        operation: 'stream',
        inputTokens: 900 + Math.round(400 * noise(seed + 0.1)),
        outputTokens: 120 + Math.round(80 * noise(seed + 0.2)),
        durationMs: durationMs - 100,
      });
      const passages = 4;
      telemetry.emit({
        type: 'request-end',
        timestamp,
        scope,
        requestId,
        durationMs,
        ok: noise(seed + 0.3) > 0.01,
        passages,
        citedPassages: Math.min(passages, (better ? 3 : 2) + Math.round(noise(seed + 0.4))),
        experiment,
      });
      if (index % 3 === 0) {
        const positive = noise(seed + 0.6) < (better ? 0.88 : 0.7);
        telemetry.emit({
          type: 'feedback',
          timestamp,
          scope,
          requestId,
          positive,
          score: positive ? 1 : 0,
          experiment,
        });
      }
    }
    const base = { timestamp: dayStart, scope: { workspaceId: DEMO_WORKSPACE, userId: 'user-1' } };
    telemetry.emit({ type: 'suggestion-shown', ...base, kind: 'pattern', count: 6 });
    for (let answer = 0; answer < 4; answer++)
      telemetry.emit({
        type: 'suggestion-feedback',
        ...base,
        kind: 'pattern',
        accepted: noise(daysAgo + answer) < 0.45,
      });
  }
}
