import { MAX_QUERY_LENGTH, parseInput, type Scope, validateScope } from '@neptune/core';
import { z } from 'zod';

/**
 * The longest message the assistant takes, in characters: `@neptune/core`'s `MAX_QUERY_LENGTH`, the one
 * limit every part checks a question against.
 * @deprecated Use `MAX_QUERY_LENGTH`; this is the same number under its old name.
 */
export const MAX_MESSAGE_LENGTH = MAX_QUERY_LENGTH;

/** One assistant request: whose it is, the new message, and the conversation it continues. */
export interface AssistantRequest {
  /** Whose request: a workspace, and the user for memory (`recall`/`remember` need a user scope). */
  readonly scope: Scope;
  /** The user's new message. */
  readonly message: string;
  /** The conversation it continues; without one nothing is recalled or remembered. */
  readonly conversationId?: string | undefined;
  /** Correlates every event of the request. Default: a random UUID. */
  readonly requestId?: string | undefined;
  /** Cancels the whole request: the three reads, the model call, the stream. */
  readonly signal?: AbortSignal | undefined;
}

export const conversationIdSchema = z
  .string({ error: 'conversationId must be a string' })
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'conversationId must be 1 to 128 letters, digits, _ . : or -');

export const messageSchema = z
  .string({ error: 'message must be a string' })
  .trim()
  .min(1, 'message must not be empty: send the user question')
  .max(
    MAX_QUERY_LENGTH,
    `message must be at most ${MAX_QUERY_LENGTH} characters: send the question, not a document`,
  );

const requestSchema = z.object({
  scope: z.unknown(),
  message: messageSchema,
  conversationId: conversationIdSchema.optional(),
  requestId: z.string().min(1).max(128).optional(),
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'must be an AbortSignal').optional(),
});

/** The request as the flow runs it: checked once, here, with its id settled. */
export interface ResolvedRequest {
  readonly scope: Scope;
  readonly message: string;
  readonly conversationId: string | undefined;
  readonly requestId: string;
  readonly signal: AbortSignal | undefined;
}

/** Checks a request at the assistant's edge; throws `ValidationError`/`ScopeError` naming the field. */
export function resolveRequest(request: AssistantRequest): ResolvedRequest {
  const parsed = parseInput(requestSchema, request, 'assistant request');
  return {
    scope: validateScope(parsed.scope),
    message: parsed.message,
    conversationId: parsed.conversationId,
    requestId: parsed.requestId ?? crypto.randomUUID(),
    signal: parsed.signal,
  };
}
