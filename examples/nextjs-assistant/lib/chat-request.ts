import { type Scope, validateScope } from '@neptune/core';
import { z } from 'zod';
import { readCookie } from './cookies';
import { DEMO_WORKSPACE } from './neptune';

/** What the chat page sends: the conversation (useChat's chat id) and the new question. */
export const chatRequestSchema = z.object({
  conversationId: z
    .string({ error: 'conversationId must be a string' })
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'conversationId must be 1 to 64 letters, digits, _ or -'),
  message: z
    .string({ error: 'message must be a string' })
    .trim()
    .min(1, 'message must not be empty')
    .max(2_000, 'message must be at most 2,000 characters'),
});

export type ChatRequest = z.output<typeof chatRequestSchema>;

export type ParsedChatRequest =
  | { readonly ok: true; readonly body: ChatRequest; readonly scope: Scope }
  | { readonly ok: false; readonly response: Response };

function badRequest(message: string, issues?: unknown): ParsedChatRequest {
  return {
    ok: false,
    response: Response.json({ error: 'invalid-request', message, issues }, { status: 400 }),
  };
}

/**
 * The demo's session: workspace `demo`, and the user named by the `x-demo-user` header or the
 * `demo-user` cookie, else `guest`. A real app takes both from its auth instead.
 */
function demoScope(request: Request): Scope {
  const userId = request.headers.get('x-demo-user') ?? readCookie(request, 'demo-user') ?? 'guest';
  return validateScope({ workspaceId: DEMO_WORKSPACE, userId });
}

/** Checks the body and the session; a bad one is answered 400 with a message that says what is wrong. */
export async function parseChatRequest(request: Request): Promise<ParsedChatRequest> {
  let json: unknown;
  try {
    json = await request.json();
  } catch {
    return badRequest('The body must be JSON: { "conversationId": "...", "message": "..." }.');
  }
  const parsed = chatRequestSchema.safeParse(json);
  if (!parsed.success) {
    return badRequest(
      parsed.error.issues.map((issue) => issue.message).join('; '),
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  try {
    return { ok: true, body: parsed.data, scope: demoScope(request) };
  } catch (error) {
    return badRequest(`The demo user is not valid: ${(error as Error).message}`);
  }
}
