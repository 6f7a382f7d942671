import type { Scope } from '@neptune/core';
import { randomId } from '../record-id';
import { anyScopeKeys, userScopeKeys } from '../scope-guards';
import {
  conversationNotFound,
  DEFAULT_CONVERSATION_PAGE,
  DEFAULT_MESSAGE_WINDOW,
  parseConversationId,
  parseCutoff,
  parseListConversationsOptions,
  parseListMessagesOptions,
  parseNewConversation,
  parseNewMessages,
} from './conversation-inputs';
import type {
  Conversation,
  ConversationRemoval,
  ConversationStore,
  StoredMessage,
} from './conversation-store';
import {
  decodeConversationCursor,
  decodeMessageCursor,
  encodeConversationCursor,
  encodeMessageCursor,
} from './page-cursor';

interface Thread {
  conversation: Conversation;
  /** In sequence order. */
  messages: StoredMessage[];
}

/** Newest activity first, then id descending: the same order as the SQL store (`COLLATE "C"`). */
function newestFirst(a: Conversation, b: Conversation): number {
  const byTime = b.lastMessageAt.getTime() - a.lastMessageAt.getTime();
  return byTime !== 0 ? byTime : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** True when the conversation sorts after the cursor position in `newestFirst` order. */
function isAfter(conversation: Conversation, position: { lastMessageAt: Date; id: string }): boolean {
  const time = conversation.lastMessageAt.getTime();
  const cursorTime = position.lastMessageAt.getTime();
  return time < cursorTime || (time === cursorTime && conversation.id < position.id);
}

/**
 * The reference `ConversationStore` and the embedded default: one process's memory, keyed by the scope's
 * key prefix from `scopeKeys()`. Not durable; use `drizzleConversationStore` for anything that matters.
 */
export function memoryConversationStore(): ConversationStore {
  /** User key prefix (`ws:{workspace}:user:{user}:`) to that user's conversations. */
  const users = new Map<string, Map<string, Thread>>();

  const threadsOf = (scope: Scope, what: string, create = false) => {
    const keys = userScopeKeys(scope, what);
    let threads = users.get(keys.keyPrefix);
    if (threads === undefined && create) {
      threads = new Map();
      users.set(keys.keyPrefix, threads);
    }
    return { keys, threads };
  };

  /** The users' maps a delete covers: one user, or every user of a workspace. */
  const coveredUsers = (scope: Scope): string[] => {
    const keys = anyScopeKeys(scope);
    const prefix = keys.filter.userId === null ? keys.workspacePrefix : keys.keyPrefix;
    return [...users.keys()].filter((userPrefix) => userPrefix.startsWith(prefix));
  };

  return {
    name: 'memory',

    async createConversation(scope, input) {
      const { keys, threads } = threadsOf(scope, 'createConversation', true);
      const checked = parseNewConversation(input);
      const id = checked.id ?? randomId();
      const existing = threads!.get(id);
      if (existing) return existing.conversation;
      const createdAt = checked.createdAt ?? new Date();
      const conversation: Conversation = {
        id,
        workspaceId: keys.filter.workspaceId,
        userId: keys.filter.userId,
        title: checked.title,
        createdAt,
        lastMessageAt: createdAt,
        lastSequence: 0,
      };
      threads!.set(id, { conversation, messages: [] });
      return conversation;
    },

    async getConversation(scope, conversationId) {
      const { threads } = threadsOf(scope, 'getConversation');
      return threads?.get(parseConversationId(conversationId))?.conversation;
    },

    async listConversations(scope, options) {
      const { threads } = threadsOf(scope, 'listConversations');
      const { limit = DEFAULT_CONVERSATION_PAGE, cursor } = parseListConversationsOptions(options);
      const after = cursor === undefined ? undefined : decodeConversationCursor(cursor);
      const all = [...(threads?.values() ?? [])].map((thread) => thread.conversation).sort(newestFirst);
      const remaining =
        after === undefined ? all : all.filter((conversation) => isAfter(conversation, after));
      const items = remaining.slice(0, limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor:
          remaining.length > limit && last
            ? encodeConversationCursor(last.lastMessageAt, last.id)
            : undefined,
      };
    },

    async appendMessages(scope, conversationId, messages) {
      const { threads } = threadsOf(scope, 'appendMessages');
      const id = parseConversationId(conversationId);
      const checked = parseNewMessages(messages);
      const thread = threads?.get(id);
      if (thread === undefined) throw conversationNotFound(id);
      const now = new Date();
      const stored = checked.map(
        (message, index): StoredMessage => ({
          id: message.id ?? randomId(),
          conversationId: id,
          role: message.role,
          content: message.content,
          sequence: thread.conversation.lastSequence + index + 1,
          createdAt: message.createdAt ?? now,
        }),
      );
      thread.messages.push(...stored);
      const latest = Math.max(...stored.map((message) => message.createdAt.getTime()));
      thread.conversation = {
        ...thread.conversation,
        lastSequence: thread.conversation.lastSequence + stored.length,
        // The first message sets it (even when imported with an older date); later ones only move it forward.
        lastMessageAt: new Date(
          thread.conversation.lastSequence === 0
            ? latest
            : Math.max(thread.conversation.lastMessageAt.getTime(), latest),
        ),
      };
      return stored;
    },

    async listMessages(scope, conversationId, options) {
      const { threads } = threadsOf(scope, 'listMessages');
      const id = parseConversationId(conversationId);
      const { limit = DEFAULT_MESSAGE_WINDOW, cursor, afterSequence = 0 } = parseListMessagesOptions(options);
      const before = cursor === undefined ? Number.POSITIVE_INFINITY : decodeMessageCursor(cursor);
      const matching = (threads?.get(id)?.messages ?? [])
        .filter((message) => message.sequence > afterSequence && message.sequence < before)
        .reverse();
      const items = matching.slice(0, limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor: matching.length > limit && last ? encodeMessageCursor(last.sequence) : undefined,
      };
    },

    async deleteConversation(scope, conversationId) {
      const { threads } = threadsOf(scope, 'deleteConversation');
      const id = parseConversationId(conversationId);
      const thread = threads?.get(id);
      if (thread === undefined) return { conversations: 0, messages: 0 };
      threads!.delete(id);
      return { conversations: 1, messages: thread.messages.length };
    },

    async deleteScope(scope) {
      const removal = { conversations: 0, messages: 0 };
      for (const userPrefix of coveredUsers(scope)) {
        for (const thread of users.get(userPrefix)!.values()) {
          removal.conversations++;
          removal.messages += thread.messages.length;
        }
        users.delete(userPrefix);
      }
      return removal;
    },

    async deleteOlderThan(scope, cutoff) {
      const checkedCutoff = parseCutoff(cutoff).getTime();
      const removal: { conversations: number; messages: number } = { conversations: 0, messages: 0 };
      for (const userPrefix of coveredUsers(scope)) {
        const threads = users.get(userPrefix)!;
        for (const [id, thread] of threads) {
          const kept = thread.messages.filter((message) => message.createdAt.getTime() >= checkedCutoff);
          removal.messages += thread.messages.length - kept.length;
          thread.messages = kept;
          if (thread.conversation.lastMessageAt.getTime() < checkedCutoff) {
            removal.messages += kept.length;
            removal.conversations++;
            threads.delete(id);
          }
        }
      }
      return removal satisfies ConversationRemoval;
    },

    async close() {
      users.clear();
    },
  };
}
