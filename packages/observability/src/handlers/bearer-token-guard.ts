import { ConfigurationError, parseOptions, readEnvironment } from '@neptune/core';
import { z } from 'zod';
import type { AdminAccess, AuthorizeAdmin } from './admin-access';

const tokenShape = {
  /** At least 24 characters; generate with `openssl rand -base64 32`. */
  token: z.string().min(24, 'must be at least 24 characters (try `openssl rand -base64 32`)'),
  /** The workspace this token may read, or `allWorkspaces: true` for an operator token (a Prometheus scraper). */
  workspaceId: z.string().min(1).optional(),
  /** This token may read every workspace (an operator token); exclusive with `workspaceId`. */
  allWorkspaces: z.boolean().optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const tokenSchema: z.ZodObject<typeof tokenShape> = z.object(tokenShape);
const checkedTokenSchema = tokenSchema.refine(
  (token) => (token.workspaceId !== undefined) !== (token.allWorkspaces === true),
  { message: 'needs exactly one of workspaceId or allWorkspaces: true' },
);

/** A token `bearerTokenGuard` accepts, and the workspace (or all of them) it may read. */
export type BearerToken = z.input<typeof tokenSchema>;

const optionsShape = {
  /** Default: one all-workspaces token from the NEPTUNE_METRICS_TOKEN variable. */
  tokens: z.array(checkedTokenSchema).min(1).readonly().optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** Options of `bearerTokenGuard`. */
export type BearerTokenGuardOptions = z.input<typeof optionsSchema>;

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Compares digests in time independent of where they differ. */
function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let index = 0; index < a.length; index++) difference |= a[index]! ^ (b[index] ?? 0);
  return difference === 0;
}

/**
 * Access by `Authorization: Bearer <token>`, for scrapers and scripts. A missing or unknown token is
 * answered 401. Tokens are compared as SHA-256 digests, in constant time, with Web Crypto (edge-safe).
 */
export function bearerTokenGuard(options: BearerTokenGuardOptions = {}): AuthorizeAdmin {
  const checked = parseOptions(optionsSchema, options, 'bearerTokenGuard options');
  const fromEnvironment = readEnvironment('NEPTUNE_METRICS_TOKEN');
  const tokens =
    checked.tokens ??
    (fromEnvironment === undefined || fromEnvironment === ''
      ? undefined
      : [
          parseOptions(
            checkedTokenSchema,
            { token: fromEnvironment, allWorkspaces: true },
            'NEPTUNE_METRICS_TOKEN',
          ),
        ]);
  if (tokens === undefined) {
    throw new ConfigurationError({
      code: 'missing-configuration',
      message:
        'bearerTokenGuard has no tokens. Pass the `tokens` option or set the NEPTUNE_METRICS_TOKEN environment variable.',
    });
  }
  const digests = Promise.all(
    tokens.map(async (entry) => ({
      digest: await sha256(entry.token),
      access: (entry.allWorkspaces === true
        ? { admin: true, allWorkspaces: true }
        : { admin: true, workspaceId: entry.workspaceId! }) satisfies AdminAccess,
    })),
  );
  return async (request) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
    if (match === null) return null;
    const presented = await sha256(match[1]!);
    let granted: AdminAccess | null = null;
    // Every entry is compared, so the time taken does not reveal which one matched.
    for (const entry of await digests) if (sameDigest(presented, entry.digest)) granted = entry.access;
    return granted;
  };
}
