import 'server-only';
import { lazySingleton } from '@neptune/core';
import {
  type AdminAccess,
  type AdminHandlers,
  type AuthorizeAdmin,
  adminLogin,
  bearerTokenGuard,
  createAdminHandlers,
  firstMatchingGuard,
} from '@neptune/observability';
import { neptune } from './neptune';

const OPERATOR: AdminAccess = { admin: true, allWorkspaces: true };
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The sign-in form at `/admin/login` and its cookie; reads NEPTUNE_METRICS_TOKEN at the first request. */
export const login = adminLogin({ title: 'Neptune assistant · Mission Control' });

/** NEPTUNE_METRICS_TOKEN is set (its length is checked by the guards that use it). */
function tokenConfigured(): boolean {
  return (process.env.NEPTUNE_METRICS_TOKEN ?? '') !== '';
}

/** Admin routes are open only when a token is configured, or in development (`next dev`). */
export function adminConfigured(): boolean {
  return tokenConfigured() || process.env.NODE_ENV === 'development';
}

function hostnameOf(host: string | null): string {
  try {
    return host === null ? '' : new URL(`http://${host}`).hostname;
  } catch {
    return '';
  }
}

/** In development without a token: requests addressed to localhost (the Host check stops DNS rebinding). */
const developmentGuard: AuthorizeAdmin = (request) =>
  process.env.NODE_ENV === 'development' && LOOPBACK_HOSTS.has(hostnameOf(request.headers.get('host')))
    ? OPERATOR
    : null;

/**
 * The demo's admin guard:
 * - with NEPTUNE_METRICS_TOKEN set, the token is required (`Authorization: Bearer`, or the session cookie
 *   that `/admin/login` sets) and sees every workspace;
 * - without it, in development only (`next dev`, bound to 127.0.0.1 by the `dev` script), requests
 *   addressed to localhost are let in;
 * - without it in production (`next start`), nobody is: the routes answer 401.
 * A real app adds its own session check with `emailAllowlistGuard`.
 */
function demoAdminGuard(): AuthorizeAdmin {
  return tokenConfigured() ? firstMatchingGuard(bearerTokenGuard(), login.guard) : developmentGuard;
}

const handlers = lazySingleton(
  'neptune.examples.nextjs-assistant.admin',
  async (): Promise<AdminHandlers> => {
    const { metrics, healthChecks, keyValue } = await neptune();
    return createAdminHandlers({
      store: metrics,
      // Each breach and recovery of the targets, once, for the dashboard's alert history.
      alerts: { store: keyValue },
      authorize: demoAdminGuard(),
      healthChecks,
      title: 'Neptune assistant · Mission Control',
      onError: (error) => console.error('admin route failed', error),
    });
  },
);

/** A route handler for one of the admin handlers; each route file is one line. */
export function adminRoute(name: keyof AdminHandlers): (request: Request) => Promise<Response> {
  return async (request) => {
    if (!adminConfigured()) {
      return Response.json(
        {
          error: 'unauthenticated',
          message:
            'Admin routes are closed: set NEPTUNE_METRICS_TOKEN (at least 24 characters) to open them.',
        },
        { status: 401, headers: { 'www-authenticate': 'Bearer' } },
      );
    }
    const response = await (await handlers())[name](request);
    // A browser asking for the dashboard without a session goes to the sign-in form.
    if (
      name === 'dashboard' &&
      response.status === 401 &&
      request.headers.get('accept')?.includes('text/html')
    ) {
      return new Response(null, { status: 303, headers: { location: '/admin/login' } });
    }
    return response;
  };
}
