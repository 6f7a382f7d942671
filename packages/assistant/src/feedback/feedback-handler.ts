import { NeptuneError, parseInput, type Scope } from '@neptune/core';
import { badRequest, isInputError, json, readJson } from '../handler';
import { type FeedbackInput, type FeedbackResult, feedbackBodySchema } from './record-feedback';
import { UnknownRequestError } from './unknown-request-error';

/** What `assistant.feedbackHandler()` takes: whose feedback it is, and where to run work after the response. */
export interface FeedbackHandlerOptions {
  /** Whose feedback this is, exactly as for the chat route: the same function fits both. */
  readonly resolveScope: (request: Request) => Scope | Response | Promise<Scope | Response>;
  /** Runs the flush of the feedback event off the response path: Next's `after`, Vercel's `waitUntil`. */
  readonly after?: ((work: Promise<unknown>) => void) | undefined;
}

/**
 * The feedback route: `POST { requestId, rating: 'up' | 'down' | 1..5, comment?, passageIds? }`. Answers
 * 201 with `{ requestId, positive, score }`; 400 for a bad body (naming the field); 404 for a request
 * this user never received (another workspace's included); 409 when the answer was rated already.
 */
export function createFeedbackHandler(
  record: (input: FeedbackInput) => Promise<FeedbackResult>,
  options: FeedbackHandlerOptions,
  flush: (() => Promise<unknown>) | undefined,
): (request: Request) => Promise<Response> {
  if (typeof options?.resolveScope !== 'function') {
    throw new NeptuneError({
      code: 'invalid-configuration',
      message:
        'assistant.feedbackHandler() needs resolveScope(request): the scope ({ workspaceId, userId }) the rating comes from, or a Response to refuse it.',
    });
  }
  return async (request) => {
    if (request.method !== 'POST')
      return json(
        405,
        { error: 'method-not-allowed', message: 'Send the rating with POST.' },
        { allow: 'POST' },
      );
    try {
      const read = await readJson(request, 16 * 1024);
      if (!read.ok) return read.response;
      const body = parseInput(feedbackBodySchema, read.body, 'feedback body');
      const scope = await options.resolveScope(request);
      if (scope instanceof Response) return scope;
      const result = await record({ ...body, scope } as FeedbackInput);
      if (flush !== undefined) options.after?.(flush().catch(() => undefined));
      return json(201, { ...result });
    } catch (error) {
      if (isInputError(error)) return badRequest(error);
      if (UnknownRequestError.isInstance(error))
        return json(404, { error: 'unknown-request', code: error.code, message: error.message });
      if (NeptuneError.isInstance(error) && error.code === 'conflict')
        return json(409, { error: 'already-rated', code: error.code, message: error.message });
      return json(500, { error: 'internal', message: 'The rating could not be stored. Try again.' });
    }
  };
}
