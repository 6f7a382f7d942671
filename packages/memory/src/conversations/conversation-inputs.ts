import { NeptuneError, parseInput } from '@neptune/core';
import { z } from 'zod';
import { recordIdSchema } from '../record-id';
import type { NewConversation, NewMessage } from './conversation-store';

export const MAX_MESSAGE_CHARACTERS = 200_000;
export const MAX_MESSAGES_PER_APPEND = 100;
export const MAX_PAGE_SIZE = 200;
/** How many of a conversation's latest messages a listing returns when no `limit` is given. */
export const DEFAULT_MESSAGE_WINDOW = 30;
export const DEFAULT_CONVERSATION_PAGE = 20;

const dateSchema = z.date().refine((date) => Number.isFinite(date.getTime()), 'must be a valid Date');

const newConversationSchema = z
  .object({
    id: recordIdSchema.optional(),
    title: z.string().max(500, 'must be at most 500 characters').optional(),
    createdAt: dateSchema.optional(),
  })
  .strict()
  .optional();

const newMessageSchema = z
  .object({
    role: z.enum(['user', 'assistant', 'system']),
    content: z
      .string()
      .max(MAX_MESSAGE_CHARACTERS, `must be at most ${MAX_MESSAGE_CHARACTERS} characters`)
      .refine((content) => !content.includes('\u0000'), 'must not contain the NUL character (\\u0000)'),
    id: recordIdSchema.optional(),
    createdAt: dateSchema.optional(),
  })
  .strict();

const newMessagesSchema = z
  .array(newMessageSchema)
  .min(1, 'pass at least one message')
  .max(MAX_MESSAGES_PER_APPEND, `at most ${MAX_MESSAGES_PER_APPEND} messages per append`);

const pageSizeSchema = z.number().int().min(1).max(MAX_PAGE_SIZE);

const listConversationsSchema = z
  .object({ limit: pageSizeSchema.optional(), cursor: z.string().max(512).optional() })
  .strict()
  .optional();

const listMessagesSchema = z
  .object({
    limit: pageSizeSchema.optional(),
    cursor: z.string().max(512).optional(),
    afterSequence: z.number().int().min(0).optional(),
  })
  .strict()
  .optional();

export function parseConversationId(conversationId: unknown): string {
  return parseInput(recordIdSchema, conversationId, 'conversationId');
}

export function parseNewConversation(input: unknown): NewConversation {
  return parseInput(newConversationSchema, input, 'conversation') ?? {};
}

export function parseNewMessages(input: unknown): NewMessage[] {
  return parseInput(newMessagesSchema, input, 'messages');
}

export function parseListConversationsOptions(input: unknown) {
  return parseInput(listConversationsSchema, input, 'listConversations options') ?? {};
}

export function parseListMessagesOptions(input: unknown) {
  return parseInput(listMessagesSchema, input, 'listMessages options') ?? {};
}

export function parseCutoff(cutoff: unknown): Date {
  return parseInput(dateSchema, cutoff, 'cutoff');
}

export function conversationNotFound(conversationId: string): NeptuneError {
  return new NeptuneError({
    code: 'not-found',
    message: `Conversation ${JSON.stringify(conversationId)} does not exist in this scope. Create it first with createConversation(scope, { id }).`,
    details: { conversationId },
  });
}
