import { parseOptions, readEnvironment } from '@neptune/core';
import { z } from 'zod';
import type { AuthorizeAdmin } from './admin-access';

/** What the app's auth knows about the caller. */
export interface AdminSession {
  readonly email: string;
  /** The workspace the user is signed in to; required unless `allWorkspaces` is set. */
  readonly workspaceId?: string | undefined;
}

const optionsShape = {
  /** Admin emails (case-insensitive). Default: the comma-separated NEPTUNE_ADMIN_EMAILS variable. */
  emails: z.array(z.string().email('must be an email address')).readonly().optional(),
  /** Reads the session from the request (NextAuth's `auth()`, Clerk, your cookie); `null` when signed out. */
  getSession: z.custom<(request: Request) => AdminSession | null | Promise<AdminSession | null>>(
    (value) => typeof value === 'function',
    'must be a function (request) => { email, workspaceId } | null',
  ),
  /**
   * Let allowlisted admins see every workspace (platform operators). Default false: an admin sees the
   * workspace of their session only.
   */
  allWorkspaces: z.boolean().optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** Options of `emailAllowlistGuard`. */
export type EmailAllowlistGuardOptions = z.input<typeof optionsSchema>;

/** Admins by email allowlist, as the plan's admin endpoints had it. Signed out: 401; not listed: 403. */
export function emailAllowlistGuard(options: EmailAllowlistGuardOptions): AuthorizeAdmin {
  const checked = parseOptions(optionsSchema, options, 'emailAllowlistGuard options');
  const listed =
    checked.emails ??
    (readEnvironment('NEPTUNE_ADMIN_EMAILS') ?? '')
      .split(',')
      .map((email) => email.trim())
      .filter((email) => email !== '');
  const allowed = new Set(listed.map((email) => email.toLowerCase()));
  return async (request) => {
    const session = await checked.getSession(request);
    if (session === null || typeof session?.email !== 'string') return null;
    if (!allowed.has(session.email.trim().toLowerCase())) return { admin: false };
    if (checked.allWorkspaces === true) return { admin: true, allWorkspaces: true };
    if (session.workspaceId === undefined || session.workspaceId === '') return { admin: false };
    return { admin: true, workspaceId: session.workspaceId };
  };
}
