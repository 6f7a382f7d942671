import { parseInput } from '@neptune/core';
import { z } from 'zod';

/**
 * Who is asking, as the app's guard decides: not an admin, the admin of one workspace (who sees that
 * workspace's figures only), or an operator who sees every workspace.
 */
export type AdminAccess =
  | { readonly admin: false }
  | { readonly admin: true; readonly workspaceId: string }
  | { readonly admin: true; readonly allWorkspaces: true };

/**
 * Decides access for a request. Return `null` when it carries no valid credentials (the handler answers
 * 401), `{ admin: false }` for a signed-in user who is not an admin (403).
 */
export type AuthorizeAdmin = (request: Request) => AdminAccess | null | Promise<AdminAccess | null>;

const accessSchema = z.union([
  z.object({ admin: z.literal(false) }),
  z.object({ admin: z.literal(true), workspaceId: z.string().min(1) }),
  z.object({ admin: z.literal(true), allWorkspaces: z.literal(true) }),
]);

/** Checks what the app's guard returned, so a guard bug fails loudly instead of widening access. */
export function parseAdminAccess(value: unknown): AdminAccess | null {
  if (value === null) return null;
  return parseInput(
    accessSchema,
    value,
    'result of the authorize guard (return null, { admin: false }, { admin: true, workspaceId } or { admin: true, allWorkspaces: true })',
  );
}

/**
 * Runs guards in order and answers with the first that recognises the request (returns non-null), so
 * that, say, the dashboard can use the session and Prometheus a bearer token.
 */
export function firstMatchingGuard(...guards: readonly AuthorizeAdmin[]): AuthorizeAdmin {
  return async (request) => {
    for (const guard of guards) {
      const access = await guard(request);
      if (access !== null) return access;
    }
    return null;
  };
}
