import { createCache } from '@neptune/cache';
import {
  AbortError,
  ConfigurationError,
  createTelemetryChannel,
  type NeptuneEvent,
  type Scope,
  ValidationError,
} from '@neptune/core';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createContextGatherer } from './create-context-gatherer';
import { defineContextSource } from './define-context-source';

const acme: Scope = { workspaceId: 'acme', userId: 'ann' };
const leadRow = z.object({ id: z.number(), name: z.string(), score: z.number(), updatedAt: z.date() });
type LeadRow = z.input<typeof leadRow>;

/** A source over an in-memory "table", with a spy on load so that tests can count database trips. */
function leadSource(rows: Record<string, LeadRow[]>, overrides: Record<string, unknown> = {}) {
  const load = vi.fn(async (scope: Scope, context: { limit: number; signal: AbortSignal }) =>
    (rows[scope.workspaceId] ?? []).slice(0, context.limit),
  );
  const source = defineContextSource({
    kind: 'crm',
    schema: leadRow,
    load,
    toItem: (row) => ({
      id: row.id,
      type: 'lead',
      title: row.name,
      summary: `${row.name}, score ${row.score}`,
      timestamp: row.updatedAt,
      signals: { hotLead: row.score >= 90 },
    }),
    ...overrides,
  });
  return { source, load };
}

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
};

const rows = {
  acme: [
    { id: 1, name: 'Globex', score: 95, updatedAt: new Date('2025-01-10T10:00:00Z') },
    { id: 2, name: 'Initech', score: 40, updatedAt: new Date('2025-01-12T10:00:00Z') },
  ],
  umbrella: [{ id: 9, name: 'Umbrella secret', score: 99, updatedAt: new Date('2025-01-01T00:00:00Z') }],
};

describe('createContextGatherer', () => {
  it('loads, checks and maps records into items, then serves them from the cache', async () => {
    const { source, load } = leadSource(rows);
    const gatherer = createContextGatherer({ sources: [source] });
    const first = await gatherer.gather(acme);
    expect(first.items).toEqual([
      {
        id: '1',
        kind: 'crm',
        type: 'lead',
        title: 'Globex',
        detail: 'Globex, score 95',
        summary: 'Globex, score 95',
        timestampMs: Date.parse('2025-01-10T10:00:00Z'),
        signals: { hotLead: true },
      },
      expect.objectContaining({ id: '2', signals: { hotLead: false } }),
    ]);
    expect(first.sources).toEqual([
      expect.objectContaining({ kind: 'crm', status: 'ok', cached: false, items: 2 }),
    ]);
    const second = await gatherer.gather(acme);
    expect(second.items).toEqual(first.items);
    expect(second.cacheHits).toBe(1);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps workspaces apart, and shares a workspace-level source between its users', async () => {
    const { source, load } = leadSource(rows);
    const gatherer = createContextGatherer({ sources: [source] });
    await gatherer.gather({ workspaceId: 'acme', userId: 'ann' });
    const bob = await gatherer.gather({ workspaceId: 'acme', userId: 'bob' });
    expect(bob.cacheHits).toBe(1);
    expect(load.mock.calls[0]![0]).toEqual({ workspaceId: 'acme' });
    const other = await gatherer.gather({ workspaceId: 'initech', userId: 'ann' });
    expect(other.items).toEqual([]);
    expect(JSON.stringify(other)).not.toContain('Umbrella');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('caches a per-user source per user, and skips it for a request without a user', async () => {
    const { source, load } = leadSource(rows, { scope: 'user', kind: 'tasks', ttlMs: 60_000 });
    const gatherer = createContextGatherer({ sources: [source] });
    await gatherer.gather({ workspaceId: 'acme', userId: 'ann' });
    await gatherer.gather({ workspaceId: 'acme', userId: 'bob' });
    expect(load.mock.calls.map((call) => call[0])).toEqual([
      { workspaceId: 'acme', userId: 'ann' },
      { workspaceId: 'acme', userId: 'bob' },
    ]);
    const anonymous = await gatherer.gather({ workspaceId: 'acme' });
    expect(anonymous.sources[0]).toMatchObject({ status: 'skipped', items: 0 });
    expect(anonymous.failed).toEqual([]);
  });

  it('passes the query to varyByQuery sources and caches per normalized query', async () => {
    const load = vi.fn(async (_scope: Scope, context: { query: string }) => [
      { id: 1, name: `match for ${context.query}`, score: 50, updatedAt: new Date(0) },
    ]);
    const source = defineContextSource({
      kind: 'contacts',
      ttlMs: 60_000,
      varyByQuery: true,
      schema: leadRow,
      load,
      toItem: (row) => ({ id: row.id, title: row.name }),
    });
    const gatherer = createContextGatherer({ sources: [source] });
    await gatherer.gather(acme, { query: 'Acme  Deal' });
    const same = await gatherer.gather(acme, { query: 'acme deal' });
    const other = await gatherer.gather(acme, { query: 'globex' });
    expect(same.cacheHits).toBe(1);
    expect(other.items[0]!.title).toBe('match for globex');
    expect(load.mock.calls.map((call) => call[1].query)).toEqual(['Acme  Deal', 'globex']);
  });

  it('reports a failing source and leaves it out without failing the request', async () => {
    const { source: good } = leadSource(rows);
    const broken = defineContextSource({
      kind: 'finance',
      ttlMs: 60_000,
      schema: z.object({ id: z.number() }),
      load: async () => {
        throw new Error('relation "invoices" does not exist');
      },
      toItem: (row) => ({ id: row.id, title: 'x' }),
    });
    const telemetry = createTelemetryChannel();
    const events: NeptuneEvent[] = [];
    telemetry.subscribe((event) => events.push(event), ['context-gather', 'error']);
    const gatherer = createContextGatherer({ sources: [good, broken], telemetry });
    const result = await gatherer.gather(acme);
    expect(result.items).toHaveLength(2);
    expect(result.failed).toEqual(['finance']);
    expect(result.sources[1]).toMatchObject({ kind: 'finance', status: 'failed' });
    expect(result.sources[1]!.error!.message).toContain('relation "invoices" does not exist');
    expect(events.map((event) => event.type)).toEqual(['error', 'context-gather']);
    expect(events[0]).toMatchObject({
      source: 'context',
      message: 'Context source "finance" failed and was left out.',
    });
    expect(events[1]).toMatchObject({ sources: 2, failed: ['finance'], cacheHits: 0, items: 2 });
  });

  it('leaves out a source that returns more than its limit, saying how to bound the query', async () => {
    const unbounded = defineContextSource({
      kind: 'tasks',
      ttlMs: 60_000,
      limit: 2,
      schema: z.object({ id: z.number() }),
      load: async () => [{ id: 1 }, { id: 2 }, { id: 3 }],
      toItem: (row) => ({ id: row.id, title: 'task' }),
    });
    const result = await createContextGatherer({ sources: [unbounded] }).gather(acme);
    expect(result.sources[0]!.status).toBe('failed');
    expect(ValidationError.isInstance(result.sources[0]!.error)).toBe(true);
    expect(result.sources[0]!.error!.message).toMatch(
      /returned 3 records, over its limit of 2.*\.limit\(limit\)/,
    );
  });

  it('leaves out records that break the schema, naming the field but never echoing the data', async () => {
    const { source } = leadSource({
      acme: [{ id: 1, name: 'Top secret name', score: 'high' as never, updatedAt: new Date() }],
    });
    const result = await createContextGatherer({ sources: [source] }).gather(acme);
    const error = result.sources[0]!.error!;
    expect(error.message).toMatch(/record 0 does not match the source schema \(score: /);
    expect(error.message).not.toContain('Top secret');
    expect(error.message).not.toContain('high');
  });

  it('leaves out a slow source at its timeout, and caches its result when the load finishes', async () => {
    const release = deferred<void>();
    const load = vi.fn(async () => {
      await release.promise;
      return [{ id: 1 }];
    });
    const slow = defineContextSource({
      kind: 'agents',
      ttlMs: 60_000,
      timeoutMs: 20,
      schema: z.object({ id: z.number() }),
      load,
      toItem: (row) => ({ id: row.id, title: 'Agent' }),
    });
    const { source: fast } = leadSource(rows);
    const gatherer = createContextGatherer({ sources: [slow, fast] });
    const first = await gatherer.gather(acme);
    expect(first.sources.map((outcome) => outcome.status)).toEqual(['timed-out', 'ok']);
    expect(first.failed).toEqual(['agents']);
    expect(first.items).toHaveLength(2);
    release.resolve();
    await vi.waitFor(async () => {
      const next = await gatherer.gather(acme, { kinds: ['agents'] });
      expect(next.sources[0]).toMatchObject({ status: 'ok', cached: true, items: 1 });
    });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('aborts a load that runs past loadTimeoutMs through the signal it was given', async () => {
    const reason = deferred<unknown>();
    const stuck = defineContextSource({
      kind: 'marketing',
      ttlMs: 60_000,
      timeoutMs: 5,
      loadTimeoutMs: 30,
      schema: z.object({ id: z.number() }),
      load: (_scope, { signal }) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            reason.resolve(signal.reason);
            reject(signal.reason);
          }),
        ),
      toItem: (row) => ({ id: row.id, title: 'x' }),
    });
    const result = await createContextGatherer({ sources: [stuck] }).gather(acme);
    expect(result.sources[0]!.status).toBe('timed-out');
    expect(String(await reason.promise)).toMatch(/ran past its 30 ms limit/);
  });

  it("throws AbortError when the caller's signal fires, and cancels the loads it started", async () => {
    const controller = new AbortController();
    const aborted = deferred<boolean>();
    const source = defineContextSource({
      kind: 'calendar',
      schema: z.object({ id: z.number() }),
      load: (_scope, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted.resolve(true);
            reject(signal.reason);
          });
          controller.abort(new Error('client went away'));
        }),
      toItem: (row) => ({ id: row.id, title: 'x' }),
    });
    const gatherer = createContextGatherer({ sources: [source] });
    await expect(gatherer.gather(acme, { signal: controller.signal })).rejects.toSatisfy(
      AbortError.isInstance,
    );
    expect(await aborted.promise).toBe(true);
    await expect(gatherer.gather(acme, { signal: controller.signal })).rejects.toThrow(/aborted/);
  });

  it('reloads after invalidate (a write), for the workspace and its users', async () => {
    const { source, load } = leadSource(rows);
    const gatherer = createContextGatherer({ sources: [source], cache: createCache() });
    await gatherer.gather(acme);
    await gatherer.invalidate({ workspaceId: 'acme' }, 'crm');
    const after = await gatherer.gather(acme);
    expect(after.cacheHits).toBe(0);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('reports a kind with no TTL anywhere as a failed source naming the fix', async () => {
    const { source } = leadSource(rows, { kind: 'unknown-kind' });
    const result = await createContextGatherer({ sources: [source] }).gather(acme);
    expect(result.sources[0]!.status).toBe('failed');
    expect(result.sources[0]!.error!.message).toMatch(/has no TTL.*ttlMs/);
  });

  it('refuses bad configuration and calls with typed errors', async () => {
    const { source } = leadSource(rows);
    expect(() => createContextGatherer({ sources: [source, source] })).toThrow(ConfigurationError);
    expect(() => createContextGatherer({ sources: [] })).toThrow(/at least one source/);
    expect(() => createContextGatherer({ sources: [{} as never] })).toThrow(/defineContextSource/);
    const gatherer = createContextGatherer({ sources: [source] });
    await expect(gatherer.gather(acme, { kinds: ['nope'] })).rejects.toThrow(
      /Unknown context source kind\(s\) "nope"/,
    );
    await expect(gatherer.gather({ workspaceId: 'a:b' })).rejects.toThrow(/scope\.workspaceId/);
    await expect(gatherer.gather(acme, { query: 'q'.repeat(4_001) })).rejects.toThrow(
      /query: must be at most 4000 characters/,
    );
  });
});

describe('defineContextSource', () => {
  const base = {
    schema: z.object({ id: z.number() }),
    load: async () => [],
    toItem: () => ({ id: 1, title: 'x' }),
  };

  it('refuses kinds that cannot name a cache entry, and a timeout longer than the load may run', () => {
    expect(() => defineContextSource({ ...base, kind: 'crm:leads' })).toThrow(
      /kind: must be 1 to 64 letters/,
    );
    expect(() => defineContextSource({ ...base, kind: 'crm', limit: 5_000 })).toThrow(/limit/);
    expect(() =>
      defineContextSource({ ...base, kind: 'crm', timeoutMs: 9_000, loadTimeoutMs: 1_000 }),
    ).toThrow(/timeoutMs \(9000\) is longer than loadTimeoutMs \(1000\)/);
  });

  it('fills item defaults: summary from the title, detail from the summary, dates from Date, number or ISO text', async () => {
    const source = defineContextSource({
      kind: 'calendar',
      schema: z.object({ id: z.string(), at: z.string() }),
      load: async () => [{ id: 'e1', at: '2025-01-15T09:30:00Z' }],
      toItem: (row) => ({ id: row.id, title: '  Weekly\n sync ', startsAt: row.at, dueAt: null }),
    });
    const [item] = await source.loadItems(acme, { signal: new AbortController().signal });
    expect(item).toEqual({
      id: 'e1',
      kind: 'calendar',
      type: 'calendar',
      title: 'Weekly sync',
      summary: 'Weekly sync',
      detail: 'Weekly sync',
      startsAtMs: Date.parse('2025-01-15T09:30:00Z'),
      signals: {},
    });
  });

  it('names the field when toItem returns an invalid item', async () => {
    const source = defineContextSource({
      ...base,
      kind: 'crm',
      load: async () => [{ id: 1 }],
      toItem: () => ({ id: 1, title: ' ', dueAt: 'soon' }),
    });
    await expect(source.loadItems(acme, { signal: new AbortController().signal })).rejects.toThrow(
      /record 0 was mapped by toItem to an invalid item \(title: must not be blank; dueAt: must be a valid Date/,
    );
  });
});
