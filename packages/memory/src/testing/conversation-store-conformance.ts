import type { Scope } from '@neptune/core';
import { type ConformanceCase, type ConformanceOptions, defineConformanceSuite } from '@neptune/core/testing';
import { expect } from 'vitest';
import type { ConversationStore, StoredMessage } from '../conversations/conversation-store';
import { expectRejection } from './expect-rejection';

/** Capabilities a conversation store may lack; none so far: every adapter must pass every case. */
export type ConversationStoreCapabilities = Record<never, boolean>;

/**
 * The `ConversationStore` contract, run against every adapter (memory, drizzle on Postgres and PGlite,
 * and yours). Each test gets a fresh store from `create()` and must find it empty: truncate the tables
 * or use a new schema in `create`/`destroy`.
 */
export type ConversationStoreConformanceOptions = ConformanceOptions<
  ConversationStore,
  ConversationStoreCapabilities
>;
type Case = ConformanceCase<ConversationStore, ConversationStoreCapabilities>;

const ana: Scope = { workspaceId: 'acme', userId: 'ana' };
const bob: Scope = { workspaceId: 'acme', userId: 'bob' };
const globexAna: Scope = { workspaceId: 'globex', userId: 'ana' };
/** Neighbours of `acme`/`ana` that a careless prefix or LIKE would match. */
const lookalikes: Scope[] = [
  { workspaceId: 'acm', userId: 'ana' },
  { workspaceId: 'acme-2', userId: 'ana' },
  { workspaceId: 'acme', userId: 'an' },
  { workspaceId: 'acme', userId: 'ana-2' },
];

const minutes = (count: number) => count * 60_000;
const at = (offsetMinutes: number) => new Date(Date.UTC(2025, 0, 6, 9, 0, 0) + minutes(offsetMinutes));

async function allMessages(
  store: ConversationStore,
  scope: Scope,
  id: string,
  limit = 7,
): Promise<StoredMessage[]> {
  const seen: StoredMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listMessages(scope, id, { limit, cursor });
    seen.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return seen;
}

async function fill(store: ConversationStore, scope: Scope, id: string, count: number): Promise<void> {
  await store.createConversation(scope, { id });
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, index) => ({
      role: (start + index) % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `message ${start + index + 1}`,
    }));
    await store.appendMessages(scope, id, batch);
  }
}

const trickyContents = [
  '',
  ' ',
  "it's a 'quoted' \"string\"",
  "'); drop table neptune_messages; --",
  'line one\nline two\r\n\ttabbed',
  'emoji 🚀 and 会社 and é (composed) and é (decomposed)',
  '$1 $2 ? :name %s {{template}}',
  'x'.repeat(200_000),
];

const cases: Case[] = [
  {
    name: 'creates a conversation and reads it back',
    async run(store) {
      const created = await store.createConversation(ana, {
        id: 'c1',
        title: 'Q3 planning',
        createdAt: at(0),
      });
      expect(created).toEqual({
        id: 'c1',
        workspaceId: 'acme',
        userId: 'ana',
        title: 'Q3 planning',
        createdAt: at(0),
        lastMessageAt: at(0),
        lastSequence: 0,
      });
      expect(await store.getConversation(ana, 'c1')).toEqual(created);
      expect(await store.getConversation(ana, 'missing')).toBeUndefined();
    },
  },
  {
    name: 'creating an existing id returns it unchanged; no id gives a fresh one',
    async run(store) {
      const first = await store.createConversation(ana, { id: 'c1', title: 'first', createdAt: at(0) });
      const again = await store.createConversation(ana, { id: 'c1', title: 'second', createdAt: at(5) });
      expect(again).toEqual(first);
      const generated = await Promise.all([store.createConversation(ana), store.createConversation(ana)]);
      expect(generated[0].id).not.toBe(generated[1].id);
      expect(generated[0].title).toBeUndefined();
      expect(generated[0].createdAt.getTime()).toBeGreaterThan(at(0).getTime());
    },
  },
  {
    name: 'appends number messages consecutively across calls and update the conversation',
    async run(store) {
      await store.createConversation(ana, { id: 'c1', createdAt: at(0) });
      const first = await store.appendMessages(ana, 'c1', [
        { role: 'user', content: 'What is our budget?', createdAt: at(1) },
        { role: 'assistant', content: 'It is $40k.', createdAt: at(2), id: 'answer-1' },
      ]);
      const second = await store.appendMessages(ana, 'c1', [
        { role: 'system', content: 'note', createdAt: at(3) },
      ]);
      expect(first.map((message) => [message.sequence, message.role, message.content])).toEqual([
        [1, 'user', 'What is our budget?'],
        [2, 'assistant', 'It is $40k.'],
      ]);
      expect(first[1]!.id).toBe('answer-1');
      expect(first[0]!.id).not.toBe(first[1]!.id);
      expect(first[0]!.conversationId).toBe('c1');
      expect(first[0]!.createdAt).toEqual(at(1));
      expect(second[0]!.sequence).toBe(3);
      const conversation = await store.getConversation(ana, 'c1');
      expect(conversation?.lastSequence).toBe(3);
      expect(conversation?.lastMessageAt).toEqual(at(3));
      // The first message of an imported conversation sets its activity time, even when older.
      await store.createConversation(ana, { id: 'imported', createdAt: at(100) });
      await store.appendMessages(ana, 'imported', [
        { role: 'user', content: 'from the archive', createdAt: at(-600) },
      ]);
      expect((await store.getConversation(ana, 'imported'))?.lastMessageAt).toEqual(at(-600));
      // After that, importing an older message does not move the conversation back in time.
      await store.appendMessages(ana, 'c1', [{ role: 'user', content: 'late import', createdAt: at(-60) }]);
      expect((await store.getConversation(ana, 'c1'))?.lastMessageAt).toEqual(at(3));
    },
  },
  {
    name: 'message content round-trips exactly',
    timeoutMs: 20_000,
    async run(store) {
      await store.createConversation(ana, { id: 'c1' });
      await store.appendMessages(
        ana,
        'c1',
        trickyContents.map((content) => ({ role: 'user' as const, content })),
      );
      const read = (await store.listMessages(ana, 'c1', { limit: 50 })).items.reverse();
      expect(read.map((message) => message.content)).toEqual(trickyContents);
    },
  },
  {
    name: 'concurrent appends never share a sequence number',
    async run(store) {
      await store.createConversation(ana, { id: 'c1' });
      await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          store.appendMessages(ana, 'c1', [
            { role: 'user', content: `racer ${index} a` },
            { role: 'assistant', content: `racer ${index} b` },
          ]),
        ),
      );
      const messages = await allMessages(store, ana, 'c1', 200);
      expect(messages.map((message) => message.sequence).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 24 }, (_, index) => index + 1),
      );
      // Each append's two messages stay adjacent and in order.
      const bySequence = [...messages].sort((a, b) => a.sequence - b.sequence);
      for (let index = 0; index < 24; index += 2) {
        expect(bySequence[index]!.content.replace(/ a$/, '')).toBe(
          bySequence[index + 1]!.content.replace(/ b$/, ''),
        );
      }
      expect((await store.getConversation(ana, 'c1'))?.lastSequence).toBe(24);
    },
  },
  {
    name: 'lists messages newest first with a default window of 30 and cursor pages without gaps',
    async run(store) {
      await fill(store, ana, 'c1', 75);
      const window = await store.listMessages(ana, 'c1');
      expect(window.items).toHaveLength(30);
      expect(window.items[0]!.sequence).toBe(75);
      expect(window.items[29]!.sequence).toBe(46);
      expect(window.nextCursor).toBeDefined();
      const paged = await allMessages(store, ana, 'c1', 7);
      expect(paged.map((message) => message.sequence)).toEqual(
        Array.from({ length: 75 }, (_, index) => 75 - index),
      );
      const exact = await store.listMessages(ana, 'c1', { limit: 75 });
      expect(exact.items).toHaveLength(75);
      expect(exact.nextCursor).toBeUndefined();
    },
  },
  {
    name: 'afterSequence returns only the newer messages',
    async run(store) {
      await fill(store, ana, 'c1', 12);
      const page = await store.listMessages(ana, 'c1', { afterSequence: 9 });
      expect(page.items.map((message) => message.sequence)).toEqual([12, 11, 10]);
      expect(page.nextCursor).toBeUndefined();
      const paged = await store.listMessages(ana, 'c1', { afterSequence: 4, limit: 3 });
      expect(paged.items.map((message) => message.sequence)).toEqual([12, 11, 10]);
      const rest = await store.listMessages(ana, 'c1', {
        afterSequence: 4,
        limit: 10,
        cursor: paged.nextCursor,
      });
      expect(rest.items.map((message) => message.sequence)).toEqual([9, 8, 7, 6, 5]);
      expect((await store.listMessages(ana, 'c1', { afterSequence: 12 })).items).toEqual([]);
    },
  },
  {
    name: 'lists conversations by latest activity, paging through ties without gaps or repeats',
    async run(store) {
      // Eight conversations created at the same instant: only the id breaks the tie.
      const ids = ['c-a', 'c-b', 'c-C', 'c-d', 'c-e', 'c-f', 'c-g', 'c-h'];
      for (const id of ids) await store.createConversation(ana, { id, createdAt: at(0) });
      await store.appendMessages(ana, 'c-d', [{ role: 'user', content: 'bump', createdAt: at(10) }]);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listConversations(ana, { limit: 3, cursor });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((conversation) => conversation.id));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      // Bytewise id order for ties: 'c-C' (0x43) sorts before 'c-a' (0x61).
      expect(seen).toEqual(['c-d', 'c-h', 'c-g', 'c-f', 'c-e', 'c-b', 'c-a', 'c-C']);
      const firstPage = await store.listConversations(ana);
      expect(firstPage.items).toHaveLength(8);
      expect(firstPage.nextCursor).toBeUndefined();
    },
  },
  {
    name: 'appending to a conversation that does not exist fails and stores nothing',
    async run(store) {
      await expectRejection(
        () => store.appendMessages(ana, 'ghost', [{ role: 'user', content: 'hello' }]),
        'not-found',
      );
      expect((await store.listMessages(ana, 'ghost')).items).toEqual([]);
      expect(await store.getConversation(ana, 'ghost')).toBeUndefined();
    },
  },
  {
    name: 'isolates users and workspaces, including lookalike ids',
    async run(store) {
      for (const scope of [ana, bob, globexAna, ...lookalikes]) {
        await store.createConversation(scope, {
          id: 'shared-id',
          title: `${scope.workspaceId}/${scope.userId}`,
        });
        await store.appendMessages(scope, 'shared-id', [
          { role: 'user', content: `from ${scope.workspaceId}/${scope.userId}` },
        ]);
      }
      await store.createConversation(ana, { id: 'only-ana' });
      for (const scope of [ana, bob, globexAna, ...lookalikes]) {
        const conversation = await store.getConversation(scope, 'shared-id');
        expect(conversation?.title).toBe(`${scope.workspaceId}/${scope.userId}`);
        expect(conversation?.lastSequence).toBe(1);
        const messages = await store.listMessages(scope, 'shared-id');
        expect(messages.items.map((message) => message.content)).toEqual([
          `from ${scope.workspaceId}/${scope.userId}`,
        ]);
      }
      expect(await store.getConversation(bob, 'only-ana')).toBeUndefined();
      expect((await store.listConversations(bob)).items.map((conversation) => conversation.id)).toEqual([
        'shared-id',
      ]);
      await expectRejection(
        () => store.appendMessages(bob, 'only-ana', [{ role: 'user', content: 'x' }]),
        'not-found',
      );
      expect(await store.deleteConversation(bob, 'only-ana')).toEqual({ conversations: 0, messages: 0 });
      expect(await store.getConversation(ana, 'only-ana')).toBeDefined();
    },
  },
  {
    name: 'deleteConversation removes the conversation and its messages',
    async run(store) {
      await fill(store, ana, 'c1', 5);
      await fill(store, ana, 'c2', 2);
      expect(await store.deleteConversation(ana, 'c1')).toEqual({ conversations: 1, messages: 5 });
      expect(await store.deleteConversation(ana, 'c1')).toEqual({ conversations: 0, messages: 0 });
      expect(await store.getConversation(ana, 'c1')).toBeUndefined();
      expect((await store.listMessages(ana, 'c1')).items).toEqual([]);
      expect((await store.listMessages(ana, 'c2')).items).toHaveLength(2);
      // A new conversation under the old id starts from sequence 1 again.
      await store.createConversation(ana, { id: 'c1' });
      const [message] = await store.appendMessages(ana, 'c1', [{ role: 'user', content: 'fresh start' }]);
      expect(message!.sequence).toBe(1);
    },
  },
  {
    name: 'deleteScope erases one user, or a whole workspace, and nothing else',
    async run(store) {
      for (const scope of [ana, bob, globexAna, ...lookalikes]) await fill(store, scope, 'c1', 3);
      await fill(store, ana, 'c2', 4);
      expect(await store.deleteScope(ana)).toEqual({ conversations: 2, messages: 7 });
      expect((await store.listConversations(ana)).items).toEqual([]);
      expect((await store.listMessages(ana, 'c2')).items).toEqual([]);
      expect((await store.listMessages(bob, 'c1')).items).toHaveLength(3);
      expect(await store.deleteScope({ workspaceId: 'acme' })).toEqual({ conversations: 3, messages: 9 });
      expect(await store.getConversation(bob, 'c1')).toBeUndefined();
      for (const scope of [globexAna, ...lookalikes.filter((scope) => scope.workspaceId !== 'acme')]) {
        expect((await store.listMessages(scope, 'c1')).items).toHaveLength(3);
      }
      expect(await store.deleteScope({ workspaceId: 'acme' })).toEqual({ conversations: 0, messages: 0 });
    },
  },
  {
    name: 'deleteOlderThan removes old messages and conversations idle since the cutoff',
    async run(store) {
      await store.createConversation(ana, { id: 'old', createdAt: at(0) });
      await store.appendMessages(ana, 'old', [
        { role: 'user', content: 'old 1', createdAt: at(1) },
        { role: 'assistant', content: 'old 2', createdAt: at(2) },
      ]);
      await store.createConversation(ana, { id: 'mixed', createdAt: at(0) });
      await store.appendMessages(ana, 'mixed', [
        { role: 'user', content: 'mixed old', createdAt: at(3) },
        { role: 'user', content: 'mixed new', createdAt: at(100) },
      ]);
      await store.createConversation(bob, { id: 'old', createdAt: at(0) });
      await store.appendMessages(bob, 'old', [{ role: 'user', content: 'bob old', createdAt: at(1) }]);
      await store.createConversation(globexAna, { id: 'old', createdAt: at(0) });
      await store.appendMessages(globexAna, 'old', [
        { role: 'user', content: 'globex old', createdAt: at(1) },
      ]);

      expect(await store.deleteOlderThan(ana, at(50))).toEqual({ conversations: 1, messages: 3 });
      expect(await store.getConversation(ana, 'old')).toBeUndefined();
      expect((await store.listMessages(ana, 'mixed')).items.map((message) => message.content)).toEqual([
        'mixed new',
      ]);
      expect((await store.listMessages(bob, 'old')).items).toHaveLength(1);

      expect(await store.deleteOlderThan({ workspaceId: 'acme' }, at(50))).toEqual({
        conversations: 1,
        messages: 1,
      });
      expect(await store.getConversation(bob, 'old')).toBeUndefined();
      expect((await store.listMessages(globexAna, 'old')).items).toHaveLength(1);
    },
  },
  {
    name: 'bad input gets a typed error naming the problem and leaves data intact',
    async run(store) {
      await fill(store, ana, 'c1', 3);
      const workspace = { workspaceId: 'acme' };
      await expectRejection(
        () => store.createConversation({ workspaceId: 'ac:me', userId: 'ana' }),
        'invalid-scope',
      );
      await expectRejection(
        () => store.createConversation({ workspaceId: 'acme', userId: '' }),
        'invalid-scope',
      );
      const needsUser = await expectRejection(() => store.listConversations(workspace), 'invalid-argument');
      expect(needsUser.message).toMatch(/userId/);
      await expectRejection(() => store.getConversation(workspace, 'c1'), 'invalid-argument');
      await expectRejection(
        () => store.appendMessages(workspace, 'c1', [{ role: 'user', content: 'x' }]),
        'invalid-argument',
      );
      await expectRejection(() => store.createConversation(ana, { id: 'has:colon' }), 'invalid-argument');
      await expectRejection(() => store.createConversation(ana, { id: '' }), 'invalid-argument');
      await expectRejection(
        () => store.createConversation(ana, { title: 'x'.repeat(501) }),
        'invalid-argument',
      );
      await expectRejection(() => store.getConversation(ana, 'a/b'), 'invalid-argument');
      await expectRejection(() => store.appendMessages(ana, 'c1', []), 'invalid-argument');
      await expectRejection(
        () => store.appendMessages(ana, 'c1', [{ role: 'robot' as 'user', content: 'beep' }]),
        'invalid-argument',
      );
      const nul = await expectRejection(
        () =>
          store.appendMessages(ana, 'c1', [
            { role: 'user', content: 'fine' },
            { role: 'user', content: 'nul \u0000' },
          ]),
        'invalid-argument',
      );
      expect(nul.message).toMatch(/NUL/);
      await expectRejection(
        () => store.appendMessages(ana, 'c1', [{ role: 'user', content: 'x'.repeat(200_001) }]),
        'invalid-argument',
      );
      await expectRejection(
        () =>
          store.appendMessages(ana, 'c1', [{ role: 'user', content: 'x', createdAt: new Date(Number.NaN) }]),
        'invalid-argument',
      );
      await expectRejection(() => store.listMessages(ana, 'c1', { limit: 0 }), 'invalid-argument');
      await expectRejection(() => store.listMessages(ana, 'c1', { limit: 201 }), 'invalid-argument');
      await expectRejection(() => store.listMessages(ana, 'c1', { limit: 2.5 }), 'invalid-argument');
      await expectRejection(() => store.listMessages(ana, 'c1', { afterSequence: -1 }), 'invalid-argument');
      const cursor = await expectRejection(
        () => store.listMessages(ana, 'c1', { cursor: 'not-a-cursor!' }),
        'invalid-argument',
      );
      expect(cursor.message).toMatch(/nextCursor/);
      await expectRejection(() => store.listConversations(ana, { cursor: 'bm9wZQ' }), 'invalid-argument');
      await expectRejection(
        () => store.deleteOlderThan(ana, 'yesterday' as unknown as Date),
        'invalid-argument',
      );
      // Nothing above changed what was stored.
      const messages = await store.listMessages(ana, 'c1');
      expect(messages.items.map((message) => message.content)).toEqual([
        'message 3',
        'message 2',
        'message 1',
      ]);
      expect((await store.getConversation(ana, 'c1'))?.lastSequence).toBe(3);
      expect((await store.listConversations(ana)).items).toHaveLength(1);
    },
  },
];

/** Registers the `ConversationStore` conformance tests for an adapter. */
export const describeConversationStoreConformance = defineConformanceSuite<
  ConversationStore,
  ConversationStoreCapabilities
>('ConversationStore', cases);
