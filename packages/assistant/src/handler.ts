import {
  NeptuneError,
  parseInput,
  parseOptions,
  QuotaExceededError,
  type Scope,
  type TelemetryChannel,
} from '@neptune/core';
import { z } from 'zod';
import { type AssistantRequest, conversationIdSchema, messageSchema } from './assistant-request';
import type { AssistantResponse } from './respond';

/** What a chat request's body carries, once parsed. */
export interface ChatBody {
  readonly message: string;
  readonly conversationId?: string | undefined;
}

const fn = <T>(what: string) => z.custom<T>((value) => typeof value === 'function', `must be ${what}`);

const handlerOptionsShape = {
  /**
   * Maps the request's session to the scope it runs under: the one place the app says whose request this
   * is. Return a `Response` (401, 403) to refuse it. A `ScopeError` or `ValidationError` thrown here
   * answers 400.
   */
  resolveScope: fn<(request: Request) => Scope | Response | Promise<Scope | Response>>(
    'a function of the request returning its scope or a Response',
  ),
  /**
   * Reads the message and conversation id from the JSON body. Default: `{ message, conversationId? }`, or
   * the AI SDK's `useChat` body (`{ id, messages }`: the last user message's text, the chat id). Throw a
   * `ValidationError` for a bad body: it answers 400.
   */
  parseBody: fn<(body: unknown, request: Request) => ChatBody | Promise<ChatBody>>(
    'a function of the body returning { message, conversationId? }',
  ).optional(),
  /**
   * Receives the work left once the response is returned (remembering the turn, `flush`), so the platform
   * keeps the function alive for it: Next's `after` (from `next/server`) or Vercel's `waitUntil`.
   */
  after: fn<(work: Promise<unknown>) => void>('a function taking the work left (a promise)').optional(),
  /** `ui-message` (default): the AI SDK's UI message stream, server-sent events. `text`: plain text. */
  stream: z.enum(['ui-message', 'text']).default('ui-message'),
  /** The largest body read, in bytes. Default 64 KiB. */
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const handlerOptionsSchema: z.ZodObject<typeof handlerOptionsShape> = z.object(handlerOptionsShape);

/** What `assistant.handler(...)` takes: how a request becomes a scope, and where after-response work runs. */
export type AssistantHandlerOptions = z.input<typeof handlerOptionsSchema>;

export interface HandlerDependencies {
  respond(request: AssistantRequest): Promise<AssistantResponse>;
  readonly telemetry: TelemetryChannel;
}

const simpleBodySchema = z.object(
  { message: messageSchema, conversationId: conversationIdSchema.optional() },
  { error: 'the body must be an object: { "message": "...", "conversationId": "..." }' },
);

const uiMessagePartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });
const useChatBodySchema = z.object({
  id: conversationIdSchema,
  messages: z
    .array(
      z.looseObject({
        role: z.enum(['user', 'assistant', 'system'], 'role must be "user", "assistant" or "system"'),
        parts: z.array(uiMessagePartSchema).max(1_000),
      }),
    )
    .min(1, 'messages must hold at least the new user message')
    .max(10_000),
});

/** The default body parser: `{ message, conversationId? }` or `useChat`'s `{ id, messages }`. */
export function parseChatBody(body: unknown): ChatBody {
  if (typeof body === 'object' && body !== null && 'messages' in body && !('message' in body)) {
    const parsed = parseInput(useChatBodySchema, body, 'chat request body');
    const last = parsed.messages.findLast((entry) => entry.role === 'user');
    const text = last?.parts
      .filter((part) => part.type === 'text' && typeof part.text === 'string')
      .map((part) => part.text)
      .join('');
    return parseInput(
      simpleBodySchema,
      { message: text ?? '', conversationId: parsed.id },
      'chat request body (the last user message)',
    );
  }
  return parseInput(simpleBodySchema, body, 'chat request body');
}

export function json(
  status: number,
  body: Record<string, unknown>,
  headers?: Record<string, string>,
): Response {
  return Response.json(body, { status, headers });
}

/** A 400 that names each failing field, from a `ValidationError` whose cause is a zod error. */
export function badRequest(error: NeptuneError): Response {
  const cause = error.cause as { issues?: Array<{ path: PropertyKey[]; message: string }> } | undefined;
  const issues = cause?.issues?.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return json(400, { error: 'invalid-request', code: error.code, message: error.message, issues });
}

/** 429 with `Retry-After` in whole seconds (at least 1), and which limits were hit. */
function overQuota(error: QuotaExceededError): Response {
  const retryAfterMs = Number(error.details?.retryAfterMs ?? 1_000);
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1_000));
  return json(
    429,
    {
      error: 'quota-exceeded',
      code: error.code,
      message: error.message,
      retryAfterSeconds,
      exceeded: error.details?.exceeded,
    },
    { 'retry-after': String(retryAfterSeconds) },
  );
}

export const isInputError = (error: unknown): error is NeptuneError =>
  NeptuneError.isInstance(error) && (error.code === 'invalid-argument' || error.code === 'invalid-scope');

export async function readJson(
  request: Request,
  maxBytes: number,
): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    return {
      ok: false,
      response: json(413, { error: 'too-large', message: `The body is over ${maxBytes} bytes.` }),
    };
  }
  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > maxBytes) {
    return {
      ok: false,
      response: json(413, { error: 'too-large', message: `The body is over ${maxBytes} bytes.` }),
    };
  }
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return {
      ok: false,
      response: json(400, {
        error: 'invalid-request',
        code: 'invalid-json',
        message: 'The body must be JSON: { "message": "...", "conversationId": "..." }.',
      }),
    };
  }
}

/**
 * The chat route as one function: reads and checks the body (a 400 naming the field, never a 500), asks
 * `resolveScope` whose request it is, streams the answer, and hands the turn's remembering to `after`.
 * A workspace over its quota gets 429 with `Retry-After`.
 */
export function createHandler(
  dependencies: HandlerDependencies,
  options: AssistantHandlerOptions,
): (request: Request) => Promise<Response> {
  if (typeof options?.resolveScope !== 'function') {
    throw new NeptuneError({
      code: 'invalid-configuration',
      message:
        'assistant.handler() needs resolveScope(request): return the scope ({ workspaceId, userId }) the request runs under, or a Response to refuse it.',
    });
  }
  const settings = parseOptions(handlerOptionsSchema, options, 'assistant.handler() options');
  const parseBody = settings.parseBody ?? parseChatBody;
  const { maxBodyBytes } = settings;
  return async (request) => {
    if (request.method !== 'POST') {
      return json(
        405,
        { error: 'method-not-allowed', message: 'Send the question with POST.' },
        { allow: 'POST' },
      );
    }
    let result: AssistantResponse;
    try {
      const read = await readJson(request, maxBodyBytes);
      if (!read.ok) return read.response;
      const body = await parseBody(read.body, request);
      const scope = await settings.resolveScope(request);
      if (scope instanceof Response) return scope;
      result = await dependencies.respond({
        scope,
        message: body.message,
        conversationId: body.conversationId,
        signal: request.signal,
      });
    } catch (error) {
      if (isInputError(error)) return badRequest(error);
      if (QuotaExceededError.isInstance(error)) return overQuota(error);
      if (request.signal.aborted) return new Response(null, { status: 499 });
      if (dependencies.telemetry.active) {
        dependencies.telemetry.emit({
          type: 'error',
          timestamp: Date.now(),
          source: 'assistant',
          code: NeptuneError.isInstance(error) ? error.code : 'internal',
          message: `The chat request failed: ${error instanceof Error ? error.name : 'error'}`,
          retryable: false,
        });
      }
      return json(500, { error: 'internal', message: 'The assistant could not answer. Try again.' });
    }
    settings.after?.(result.finished);
    const headers = { 'x-request-id': result.requestId };
    return settings.stream === 'text'
      ? result.toTextStreamResponse({ headers })
      : result.toUIMessageStreamResponse({ headers });
  };
}
