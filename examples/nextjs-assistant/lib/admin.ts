import 'server-only';
import {
  type AdminAccess,
  type AdminHandlers,
  type AuthorizeAdmin,
  createAdminHandlers,
} from '@neptune/observability';
import { readCookie } from './cookies';
import { neptune } from './neptune';
import { processSingleton } from './process-singleton';

/** The cookie `/admin/login` sets, so the dashboard (and its own refreshes) work in a browser. */
export const ADMIN_COOKIE = 'neptune-admin-token';
const OPERATOR: AdminAccess = { admin: true, allWorkspaces: true };
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** NEPTUNE_ADMIN_TOKEN, when set; at least 24 characters (`openssl rand -base64 32`). */
export function adminToken(): string | undefined {
  const token = process.env.NEPTUNE_ADMIN_TOKEN;
  if (token === undefined || token === '') return undefined;
  if (token.length < 24) throw new Error('NEPTUNE_ADMIN_TOKEN must be at least 24 characters.');
  return token;
}

/** Admin routes are open only when a token is configured, or in development (`next dev`). */
export function adminConfigured(): boolean {
  return adminToken() !== undefined || process.env.NODE_ENV === 'development';
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Compares two tokens as SHA-256 digests, in time independent of where they differ. */
export async function sameToken(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(presented), digest(expected)]);
  let difference = a.length ^ b.length;
  for (let index = 0; index < a.length; index++) difference |= a[index]! ^ (b[index] ?? 0);
  return difference === 0;
}

function hostnameOf(host: string | null): string {
  try {
    return host === null ? '' : new URL(`http://${host}`).hostname;
  } catch {
    return '';
  }
}

function presentedToken(request: Request): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (bearer !== undefined) return bearer;
  return readCookie(request, ADMIN_COOKIE);
}

/**
 * The demo's admin guard:
 * - with NEPTUNE_ADMIN_TOKEN set, the token is required (`Authorization: Bearer`, or the cookie that
 *   `/admin/login` sets) and sees every workspace;
 * - without it, in development only (`next dev`, bound to 127.0.0.1 by the `dev` script), requests
 *   addressed to localhost are let in: the Host check stops DNS rebinding from another site;
 * - without it in production (`next start`), nobody is: the routes answer 401.
 * A real app adds its own session check with `emailAllowlistGuard` and `firstMatchingGuard`.
 */
export const demoAdminGuard: AuthorizeAdmin = async (request) => {
  const token = adminToken();
  if (token !== undefined) {
    const presented = presentedToken(request);
    return presented !== undefined && (await sameToken(presented, token)) ? OPERATOR : null;
  }
  if (process.env.NODE_ENV !== 'development') return null;
  return LOOPBACK_HOSTS.has(hostnameOf(request.headers.get('host'))) ? OPERATOR : null;
};

const HANDLERS = Symbol.for('neptune.examples.nextjs-assistant.admin');

function handlers(): Promise<AdminHandlers> {
  return processSingleton(HANDLERS, async () => {
    const { metrics, healthChecks } = await neptune();
    return createAdminHandlers({
      store: metrics,
      authorize: demoAdminGuard,
      healthChecks,
      title: 'Neptune assistant · Mission Control',
      onError: (error) => console.error('admin route failed', error),
    });
  });
}

/** A route handler for one of the admin handlers; each route file is one line. */
export function adminRoute(name: keyof AdminHandlers): (request: Request) => Promise<Response> {
  return async (request) => {
    if (!adminConfigured()) {
      return Response.json(
        {
          error: 'unauthenticated',
          message: 'Admin routes are closed: set NEPTUNE_ADMIN_TOKEN (at least 24 characters) to open them.',
        },
        { status: 401, headers: { 'www-authenticate': 'Bearer' } },
      );
    }
    return (await handlers())[name](request);
  };
}
