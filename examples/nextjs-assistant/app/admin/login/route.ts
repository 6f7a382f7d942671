import { ADMIN_COOKIE, adminToken, sameToken } from '@/lib/admin';

export const dynamic = 'force-dynamic';

const page = (message: string, status = 200) =>
  new Response(
    `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Neptune admin sign-in</title></head>
<body style="font: 16px system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem">
<h1 style="font-size: 1.4rem">Neptune admin</h1>
<p>${message}</p>
<form method="post">
<label for="token">Admin token (NEPTUNE_ADMIN_TOKEN)</label><br>
<input id="token" name="token" type="password" autocomplete="current-password" required style="width: 100%; padding: .4rem; margin: .4rem 0">
<button type="submit">Sign in</button>
</form>
</body>
</html>`,
    {
      status,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
        'cache-control': 'no-store',
      },
    },
  );

/** GET /admin/login: a form for the admin token, so the dashboard opens in a browser without a header. */
export function GET(): Response {
  if (adminToken() === undefined) {
    return page(
      process.env.NODE_ENV === 'development'
        ? 'No NEPTUNE_ADMIN_TOKEN is set: in development, <a href="/admin">the dashboard</a> opens on localhost without one.'
        : 'Admin routes are closed: set NEPTUNE_ADMIN_TOKEN on the server to open them.',
    );
  }
  return page('Enter the admin token to open the dashboard.');
}

/** POST /admin/login: checks the token and keeps it in an HttpOnly, SameSite=Strict cookie. */
export async function POST(request: Request): Promise<Response> {
  const token = adminToken();
  const presented = (await request.formData().catch(() => undefined))?.get('token');
  if (token === undefined || typeof presented !== 'string' || !(await sameToken(presented, token))) {
    return page('That token is not right.', 401);
  }
  const secure = new URL(request.url).protocol === 'https:' ? '; Secure' : '';
  return new Response(null, {
    status: 303,
    headers: {
      location: '/admin',
      'set-cookie': `${ADMIN_COOKIE}=${encodeURIComponent(presented)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800${secure}`,
    },
  });
}
