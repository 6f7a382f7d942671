import { parseOptions, readEnvironment } from '@neptune/core';
import { z } from 'zod';
import type { AdminAccess, AuthorizeAdmin } from './admin-access';

/**
 * What `adminLogin` returns: the sign-in form and its handler, the guard that checks the session cookie, and
 * sign-out.
 */
export interface AdminLogin {
  /** The sign-in form (HTML). Mount at `/admin/login`: `export const GET = login.GET`. */
  readonly GET: (request: Request) => Response;
  /** Checks the token and sets the session cookie, then redirects to `redirectTo` (303). */
  readonly POST: (request: Request) => Promise<Response>;
  /** Operator access for a request with a valid, unexpired session cookie; `null` otherwise. */
  readonly guard: AuthorizeAdmin;
  /** A response that clears the cookie and redirects to the form: mount it at `/admin/logout`. */
  readonly logout: (request: Request) => Response;
}

const optionsShape = {
  /** The token the form asks for. Default: the NEPTUNE_METRICS_TOKEN variable, read at the first request. */
  token: z.string().min(24, 'must be at least 24 characters (try `openssl rand -base64 32`)').optional(),
  /** Default `neptune-admin`. */
  cookieName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, _ or -')
    .optional(),
  /** How long a sign-in lasts. Default 8 hours. */
  maxAgeSeconds: z.number().int().min(60).max(31_536_000).optional(),
  /**
   * The cookie's `Secure` flag. Default `'auto'`: set unless the request is plain HTTP to localhost
   * (`next dev`); a request whose `x-forwarded-proto` is `https` (a TLS-terminating proxy) counts as HTTPS.
   * `true` always sets it, `false` never (only for a trusted plain-HTTP network).
   */
  secure: z.union([z.boolean(), z.literal('auto')]).optional(),
  /** Where a successful sign-in goes. A path on this site; default `/admin`. */
  redirectTo: z
    .string()
    .regex(/^\/(?![/\\])/, 'must be a path on this site, such as /admin')
    .optional(),
  /** The page's heading. Default `Neptune admin`. */
  title: z.string().max(200).optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const optionsSchema: z.ZodObject<typeof optionsShape> = z.object(optionsShape);

/** Options of `adminLogin`. */
export type AdminLoginOptions = z.input<typeof optionsSchema>;

const OPERATOR: AdminAccess = { admin: true, allWorkspaces: true };
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Compares two strings in time that depends on their lengths only, not on where they differ. */
function sameText(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  let difference = left.length ^ right.length;
  for (let index = 0; index < left.length; index++) difference |= left[index]! ^ (right[index] ?? 0);
  return difference === 0;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function readCookie(request: Request, name: string): string | undefined {
  for (const pair of (request.headers.get('cookie') ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator !== -1 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}

/** HTTPS as the browser sees it: the request's own scheme, or a TLS-terminating proxy's `x-forwarded-proto`. */
function isHttps(request: Request): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || new URL(request.url).protocol === 'https:';
}

function isLoopback(request: Request): boolean {
  try {
    return LOOPBACK_HOSTS.has(
      new URL(`http://${request.headers.get('host') ?? new URL(request.url).host}`).hostname,
    );
  } catch {
    return false;
  }
}

/** A form post from another site is refused: its `Origin` must be this site (as the browser or a proxy named it). */
function sameSite(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  try {
    const hosts = [
      new URL(request.url).host,
      request.headers.get('host'),
      request.headers.get('x-forwarded-host'),
    ];
    return hosts.includes(new URL(origin).host);
  } catch {
    return false;
  }
}

/**
 * A sign-in form for the admin dashboard in a browser, where no `Authorization` header can be sent. The
 * form takes the metrics token (NEPTUNE_METRICS_TOKEN, at least 24 characters) and sets a session cookie
 * that is `HttpOnly`, `SameSite=Strict`, `Secure` (see `secure`), and holds no token: it holds its expiry
 * time and an HMAC-SHA-256 of it keyed by the token, so a stolen cookie expires, and changing the token
 * signs everyone out. Tokens and signatures are compared in constant time, with Web Crypto (edge-safe).
 *
 * Nothing is read at creation: create it at module scope, and `next build` needs no token. Without a token
 * the form says how to set one, and `guard` lets nobody in.
 *
 * ```ts
 * const login = adminLogin();
 * // app/admin/login/route.ts: export const GET = login.GET; export const POST = login.POST;
 * createAdminHandlers({ store, authorize: firstMatchingGuard(login.guard, bearerTokenGuard()) });
 * ```
 */
export function adminLogin(options: AdminLoginOptions = {}): AdminLogin {
  const checked = parseOptions(optionsSchema, options, 'adminLogin options');
  const cookieName = checked.cookieName ?? 'neptune-admin';
  const maxAgeSeconds = checked.maxAgeSeconds ?? 8 * 60 * 60;
  const redirectTo = checked.redirectTo ?? '/admin';
  const title = escapeHtml(checked.title ?? 'Neptune admin');
  const keys = new Map<string, Promise<CryptoKey>>();

  /** The configured token, or a sentence saying what is wrong with it. */
  const resolveToken = (): { token: string } | { problem: string } => {
    if (checked.token !== undefined) return { token: checked.token };
    const token = readEnvironment('NEPTUNE_METRICS_TOKEN');
    if (token === undefined || token === '')
      return {
        problem: 'Sign-in is closed: set NEPTUNE_METRICS_TOKEN (at least 24 characters) on the server.',
      };
    if (token.length < 24)
      return { problem: 'Sign-in is closed: NEPTUNE_METRICS_TOKEN must be at least 24 characters.' };
    return { token };
  };

  const sign = async (token: string, expires: number): Promise<string> => {
    let key = keys.get(token);
    if (key === undefined) {
      key = crypto.subtle.importKey('raw', encoder.encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
      ]);
      keys.clear();
      keys.set(token, key);
    }
    const mac = await crypto.subtle.sign(
      'HMAC',
      await key,
      encoder.encode(`neptune-admin-session:${expires}`),
    );
    return base64url(new Uint8Array(mac));
  };

  const secureFlag = (request: Request): string => {
    const secure = checked.secure ?? 'auto';
    const on = secure === 'auto' ? isHttps(request) || !isLoopback(request) : secure;
    return on ? '; Secure' : '';
  };

  const page = (message: string, status: number): Response =>
    new Response(
      `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}: sign in</title></head>
<body style="font: 16px system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem">
<h1 style="font-size: 1.4rem">${title}</h1>
<p>${escapeHtml(message)}</p>
<form method="post">
<label for="token">Metrics token (NEPTUNE_METRICS_TOKEN)</label><br>
<input id="token" name="token" type="password" autocomplete="current-password" required style="width: 100%; padding: .4rem; margin: .4rem 0">
<button type="submit">Sign in</button>
</form>
</body>
</html>`,
      {
        status,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy':
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
          'cache-control': 'no-store',
          'x-frame-options': 'DENY',
        },
      },
    );

  return {
    GET: () => {
      const resolved = resolveToken();
      return 'problem' in resolved
        ? page(resolved.problem, 200)
        : page('Enter the metrics token to open the dashboard.', 200);
    },

    POST: async (request) => {
      const resolved = resolveToken();
      if ('problem' in resolved) return page(resolved.problem, 401);
      if (!sameSite(request)) return page('Sign in from this site’s own form.', 403);
      const presented = (await request.formData().catch(() => undefined))?.get('token');
      if (typeof presented !== 'string' || !sameText(presented, resolved.token)) {
        return page('That token is not right.', 401);
      }
      const expires = Math.floor(Date.now() / 1000) + maxAgeSeconds;
      const value = `${expires}.${await sign(resolved.token, expires)}`;
      return new Response(null, {
        status: 303,
        headers: {
          location: redirectTo,
          'cache-control': 'no-store',
          'set-cookie': `${cookieName}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secureFlag(request)}`,
        },
      });
    },

    guard: async (request) => {
      const cookie = readCookie(request, cookieName);
      if (cookie === undefined) return null;
      const resolved = resolveToken();
      if ('problem' in resolved) return null;
      const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(cookie);
      if (match === null) return null;
      const expires = Number(match[1]);
      if (expires * 1000 <= Date.now()) return null;
      return sameText(match[2]!, await sign(resolved.token, expires)) ? OPERATOR : null;
    },

    logout: (request) =>
      new Response(null, {
        status: 303,
        headers: {
          location: `${redirectTo.replace(/\/$/, '')}/login`,
          'cache-control': 'no-store',
          'set-cookie': `${cookieName}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secureFlag(request)}`,
        },
      }),
  };
}
