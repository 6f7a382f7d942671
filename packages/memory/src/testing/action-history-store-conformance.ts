import type { Scope } from '@neptune/core';
import { type ConformanceCase, type ConformanceOptions, defineConformanceSuite } from '@neptune/core/testing';
import { expect } from 'vitest';
import type { ActionHistoryStore } from '../actions/action-history-store';
import { expectRejection } from './expect-rejection';

/**
 * Optional capabilities an action history store may claim: none so far, every test applies to every store.
 */
export type ActionHistoryStoreCapabilities = Record<never, boolean>;

/** The `ActionHistoryStore` contract. Each test gets a fresh, empty store from `create()`. */
export type ActionHistoryStoreConformanceOptions = ConformanceOptions<
  ActionHistoryStore,
  ActionHistoryStoreCapabilities
>;
type Case = ConformanceCase<ActionHistoryStore, ActionHistoryStoreCapabilities>;

const ana: Scope = { workspaceId: 'acme', userId: 'ana' };
const bob: Scope = { workspaceId: 'acme', userId: 'bob' };
const globexAna: Scope = { workspaceId: 'globex', userId: 'ana' };
const acmeLookalike: Scope = { workspaceId: 'acme-2', userId: 'ana' };
const hour = 3_600_000;
const at = (hours: number) => new Date(Date.UTC(2025, 0, 6, 9) + hours * hour);

const cases: Case[] = [
  {
    name: 'records actions and lists them newest first, by type and since',
    async run(store) {
      const recorded = await store.record(ana, [
        { type: 'deal.update', occurredAt: at(0) },
        { type: 'email.send', occurredAt: at(1) },
        { type: 'deal.update', occurredAt: at(2) },
      ]);
      expect(recorded.map((action) => [action.type, action.workspaceId, action.userId])).toEqual([
        ['deal.update', 'acme', 'ana'],
        ['email.send', 'acme', 'ana'],
        ['deal.update', 'acme', 'ana'],
      ]);
      expect(new Set(recorded.map((action) => action.id)).size).toBe(3);
      const listed = await store.list(ana);
      expect(listed.map((action) => action.occurredAt)).toEqual([at(2), at(1), at(0)]);
      expect(listed[0]).toEqual(recorded[2]);
      expect((await store.list(ana, { type: 'deal.update' })).map((action) => action.occurredAt)).toEqual([
        at(2),
        at(0),
      ]);
      expect((await store.list(ana, { since: at(1) })).map((action) => action.type)).toEqual([
        'deal.update',
        'email.send',
      ]);
      expect(await store.list(ana, { limit: 1 })).toHaveLength(1);
      const [now] = await store.record(ana, [{ type: 'note.create' }]);
      expect(Math.abs(now!.occurredAt.getTime() - Date.now())).toBeLessThan(60_000);
    },
  },
  {
    name: 'listWorkspace spans the workspace users and no other workspace',
    async run(store) {
      await store.record(ana, [{ type: 'a', occurredAt: at(0) }]);
      await store.record(bob, [{ type: 'b', occurredAt: at(1) }]);
      await store.record(globexAna, [{ type: 'g', occurredAt: at(2) }]);
      await store.record(acmeLookalike, [{ type: 'l', occurredAt: at(3) }]);
      const listed = await store.listWorkspace({ workspaceId: 'acme' });
      expect(listed.map((action) => [action.userId, action.type])).toEqual([
        ['bob', 'b'],
        ['ana', 'a'],
      ]);
      expect(await store.listWorkspace({ workspaceId: 'acme' }, { since: at(1) })).toHaveLength(1);
      expect(await store.listWorkspace({ workspaceId: 'acme' }, { limit: 1 })).toHaveLength(1);
      await expectRejection(() => store.listWorkspace(ana), 'invalid-argument');
    },
  },
  {
    name: 'records feedback and lists it by kind and key',
    async run(store) {
      await store.recordFeedback(ana, { kind: 'pattern', key: 'a>b', accepted: true, createdAt: at(0) });
      await store.recordFeedback(ana, {
        kind: 'timing',
        key: 'email.send',
        accepted: false,
        hourOfWeek: 33,
        createdAt: at(1),
      });
      await store.recordFeedback(ana, { kind: 'pattern', key: 'a>b', accepted: false, createdAt: at(2) });
      const patterns = await store.listFeedback(ana, { kind: 'pattern' });
      expect(patterns.map((row) => [row.key, row.accepted, row.hourOfWeek])).toEqual([
        ['a>b', false, undefined],
        ['a>b', true, undefined],
      ]);
      const [timing] = await store.listFeedback(ana, { kind: 'timing', key: 'email.send' });
      expect(timing).toMatchObject({
        kind: 'timing',
        key: 'email.send',
        accepted: false,
        hourOfWeek: 33,
        createdAt: at(1),
      });
      expect(await store.listFeedback(bob)).toEqual([]);
    },
  },
  {
    name: 'isolates users and workspaces',
    async run(store) {
      for (const scope of [ana, bob, globexAna, acmeLookalike]) {
        await store.record(scope, [{ type: `${scope.workspaceId}/${scope.userId}` }]);
        await store.recordFeedback(scope, {
          kind: 'pattern',
          key: `${scope.workspaceId}/${scope.userId}`,
          accepted: true,
        });
      }
      for (const scope of [ana, bob, globexAna, acmeLookalike]) {
        expect((await store.list(scope)).map((action) => action.type)).toEqual([
          `${scope.workspaceId}/${scope.userId}`,
        ]);
        expect((await store.listFeedback(scope)).map((row) => row.key)).toEqual([
          `${scope.workspaceId}/${scope.userId}`,
        ]);
      }
    },
  },
  {
    name: 'deleteScope erases a user or a workspace; deleteOlderThan applies retention',
    async run(store) {
      for (const scope of [ana, bob, globexAna]) {
        await store.record(scope, [
          { type: 'old', occurredAt: at(0) },
          { type: 'new', occurredAt: at(10) },
        ]);
        await store.recordFeedback(scope, { kind: 'pattern', key: 'k', accepted: true, createdAt: at(0) });
      }
      expect(await store.deleteOlderThan(ana, at(5))).toEqual({ actions: 1, feedback: 1 });
      expect((await store.list(ana)).map((action) => action.type)).toEqual(['new']);
      expect(await store.list(bob)).toHaveLength(2);
      expect(await store.deleteOlderThan({ workspaceId: 'acme' }, at(5))).toEqual({
        actions: 1,
        feedback: 1,
      });
      expect(await store.deleteScope(ana)).toEqual({ actions: 1, feedback: 0 });
      expect(await store.list(ana)).toEqual([]);
      expect(await store.list(bob)).toHaveLength(1);
      expect(await store.deleteScope({ workspaceId: 'acme' })).toEqual({ actions: 1, feedback: 0 });
      expect(await store.listWorkspace({ workspaceId: 'acme' })).toEqual([]);
      expect(await store.list(globexAna)).toHaveLength(2);
      expect(await store.listFeedback(globexAna)).toHaveLength(1);
    },
  },
  {
    name: 'bad input gets a typed error and leaves data intact',
    async run(store) {
      await store.record(ana, [{ type: 'deal.update', occurredAt: at(0) }]);
      await expectRejection(() => store.record({ workspaceId: 'acme' }, [{ type: 'x' }]), 'invalid-argument');
      await expectRejection(
        () => store.record({ workspaceId: 'a*', userId: 'ana' }, [{ type: 'x' }]),
        'invalid-scope',
      );
      await expectRejection(() => store.record(ana, []), 'invalid-argument');
      await expectRejection(() => store.record(ana, [{ type: '   ' }]), 'invalid-argument');
      await expectRejection(() => store.record(ana, [{ type: 'x'.repeat(201) }]), 'invalid-argument');
      await expectRejection(
        () => store.record(ana, [{ type: 'ok' }, { type: 'tab\there' }]),
        'invalid-argument',
      );
      await expectRejection(
        () => store.recordFeedback(ana, { kind: 'timing', key: 'x', accepted: true, hourOfWeek: 168 }),
        'invalid-argument',
      );
      await expectRejection(
        () => store.recordFeedback(ana, { kind: 'nope' as 'pattern', key: 'x', accepted: true }),
        'invalid-argument',
      );
      await expectRejection(() => store.list(ana, { limit: 10_001 }), 'invalid-argument');
      await expectRejection(() => store.deleteOlderThan(ana, new Date(Number.NaN)), 'invalid-argument');
      expect((await store.list(ana)).map((action) => action.type)).toEqual(['deal.update']);
      expect(await store.listFeedback(ana)).toEqual([]);
    },
  },
];

/** Registers the `ActionHistoryStore` conformance tests for an adapter. */
export const describeActionHistoryStoreConformance = defineConformanceSuite<
  ActionHistoryStore,
  ActionHistoryStoreCapabilities
>('ActionHistoryStore', cases);
