import type { Scope } from '@neptune/core';
import { type ConformanceCase, type ConformanceOptions, defineConformanceSuite } from '@neptune/core/testing';
import { expect } from 'vitest';
import type { ConsentStore } from '../consent/consent-store';
import { expectRejection } from './expect-rejection';

/** Optional capabilities a consent store may claim: none so far, every test applies to every store. */
export type ConsentStoreCapabilities = Record<never, boolean>;

/** The `ConsentStore` contract. Each test gets a fresh, empty store from `create()`. */
export type ConsentStoreConformanceOptions = ConformanceOptions<ConsentStore, ConsentStoreCapabilities>;
type Case = ConformanceCase<ConsentStore, ConsentStoreCapabilities>;

const ana: Scope = { workspaceId: 'acme', userId: 'ana' };
const bob: Scope = { workspaceId: 'acme', userId: 'bob' };
const globexAna: Scope = { workspaceId: 'globex', userId: 'ana' };

const cases: Case[] = [
  {
    name: 'returns undefined until set, then the latest settings',
    async run(store) {
      expect(await store.get(ana)).toBeUndefined();
      const first = await store.set(ana, { extraction: false, learning: true });
      expect(first).toMatchObject({ extraction: false, learning: true });
      expect(await store.get(ana)).toMatchObject({ extraction: false, learning: true });
      await store.set(ana, { extraction: true, learning: false });
      const latest = await store.get(ana);
      expect(latest).toMatchObject({ extraction: true, learning: false });
      expect(latest!.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
    },
  },
  {
    name: 'isolates users and workspaces; deleteScope erases a user or a workspace',
    async run(store) {
      await store.set(ana, { extraction: false, learning: false });
      await store.set(bob, { extraction: true, learning: false });
      await store.set(globexAna, { extraction: true, learning: true });
      expect(await store.get(bob)).toMatchObject({ extraction: true, learning: false });
      expect(await store.get({ workspaceId: 'acme-2', userId: 'ana' })).toBeUndefined();
      expect(await store.deleteScope(ana)).toBe(1);
      expect(await store.get(ana)).toBeUndefined();
      expect(await store.get(bob)).toBeDefined();
      expect(await store.deleteScope({ workspaceId: 'acme' })).toBe(1);
      expect(await store.get(bob)).toBeUndefined();
      expect(await store.get(globexAna)).toMatchObject({ extraction: true, learning: true });
    },
  },
  {
    name: 'bad input gets a typed error and leaves data intact',
    async run(store) {
      await store.set(ana, { extraction: false, learning: false });
      await expectRejection(
        () => store.set({ workspaceId: 'acme' }, { extraction: true, learning: true }),
        'invalid-argument',
      );
      await expectRejection(
        () => store.set(ana, { extraction: 'yes' as unknown as boolean, learning: true }),
        'invalid-argument',
      );
      await expectRejection(() => store.set(ana, { extraction: true } as never), 'invalid-argument');
      await expectRejection(() => store.get({ workspaceId: '', userId: 'ana' }), 'invalid-scope');
      expect(await store.get(ana)).toMatchObject({ extraction: false, learning: false });
    },
  },
];

/** Registers the `ConsentStore` conformance tests for an adapter. */
export const describeConsentStoreConformance = defineConformanceSuite<ConsentStore, ConsentStoreCapabilities>(
  'ConsentStore',
  cases,
);
