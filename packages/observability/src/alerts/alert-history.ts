import type { KeyValueStore, Scope } from '@neptune/core';
import type { MetricsView } from '../metrics/metrics-store';
import type { TargetId, TargetResult } from '../metrics/metrics-targets';

/** A target crossing its line: `breach` when it went from met (or never judged) to missed, `recovery` back. */
export interface AlertEvent {
  readonly kind: 'breach' | 'recovery';
  readonly targetId: TargetId;
  readonly label: string;
  readonly unit: 'ms' | 'ratio';
  readonly comparison: 'at-most' | 'at-least';
  readonly target: number;
  /** The figure when the change was seen. */
  readonly actual: number;
  /** Epoch ms. */
  readonly at: number;
}

interface TargetState {
  readonly status: 'met' | 'missed';
  /** Transitions recorded so far: the next one claims `seq + 1`. */
  readonly seq: number;
}

/**
 * Where the all-workspaces history is kept in the key-value store: a workspace id no app can be given
 * by accident (the `=` prefix), since the store's scopes are workspaces.
 */
export const ALL_WORKSPACES_ALERT_SCOPE: Scope = { workspaceId: '=all-workspaces' };

/** Ninety days: the span of the longest trend the dashboard draws, three times over. */
export const DEFAULT_ALERT_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

const stateKey = (id: TargetId) => `alerts:state:${id}`;
const eventKey = (id: TargetId, seq: number) => `alerts:event:${id}:${String(seq).padStart(8, '0')}`;

function scopeOf(view: MetricsView): Scope {
  return 'allWorkspaces' in view ? ALL_WORKSPACES_ALERT_SCOPE : { workspaceId: view.workspaceId };
}

/**
 * The history of target breaches and recoveries, per view, in a key-value store. Each change is recorded
 * once however many instances see it: the first to claim the change's sequence number with a
 * set-if-absent writes it, the others find it claimed and skip. `no-data` changes nothing: a quiet hour is
 * neither a breach nor a recovery.
 */
export class AlertHistory {
  constructor(
    private readonly store: KeyValueStore,
    private readonly retentionMs: number = DEFAULT_ALERT_RETENTION_MS,
  ) {}

  /** Compares the targets with the last known status of each; records and returns the changes. */
  async record(view: MetricsView, targets: readonly TargetResult[], nowMs: number): Promise<AlertEvent[]> {
    const scope = scopeOf(view);
    const judged = targets.filter(
      (result): result is TargetResult & { status: 'met' | 'missed'; actual: number } =>
        result.status !== 'no-data' && result.actual !== null,
    );
    if (judged.length === 0) return [];
    const states = await this.store.getMany(
      scope,
      judged.map((result) => stateKey(result.id)),
    );
    const recorded: AlertEvent[] = [];
    await Promise.all(
      judged.map(async (result, index) => {
        const text = states[index];
        const previous = text === undefined ? undefined : (JSON.parse(text) as TargetState);
        if (previous?.status === result.status) return;
        // The first status seen is a change only when it is a breach.
        if (previous === undefined && result.status === 'met') {
          await this.store.set(scope, stateKey(result.id), JSON.stringify({ status: 'met', seq: 0 }));
          return;
        }
        const seq = (previous?.seq ?? 0) + 1;
        const event: AlertEvent = {
          kind: result.status === 'missed' ? 'breach' : 'recovery',
          targetId: result.id,
          label: result.label,
          unit: result.unit,
          comparison: result.comparison,
          target: result.target,
          actual: result.actual,
          at: nowMs,
        };
        const claimed = await this.store.set(scope, eventKey(result.id, seq), JSON.stringify(event), {
          ttlMs: this.retentionMs,
          onlyIfAbsent: true,
        });
        if (!claimed) return;
        await this.store.set(scope, stateKey(result.id), JSON.stringify({ status: result.status, seq }));
        recorded.push(event);
      }),
    );
    return recorded;
  }

  /** The view's breaches and recoveries, newest first. */
  async list(view: MetricsView, limit: number): Promise<AlertEvent[]> {
    const scope = scopeOf(view);
    const keys: string[] = [];
    for await (const key of this.store.list(scope, { prefix: 'alerts:event:' })) keys.push(key);
    const texts = await this.store.getMany(scope, keys);
    return texts
      .flatMap((text) => (text === undefined ? [] : [JSON.parse(text) as AlertEvent]))
      .sort((a, b) => b.at - a.at || a.targetId.localeCompare(b.targetId))
      .slice(0, limit);
  }
}
