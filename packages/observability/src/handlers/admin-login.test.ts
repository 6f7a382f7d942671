import { ConfigurationError } from '@neptune/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminLogin } from './admin-login';

const TOKEN = 'a-metrics-token-of-at-least-24-characters';

function post(url: string, token: string, headers: Record<string, string> = {}): Request {
  return new Request(url, { method: 'POST', body: new URLSearchParams({ token }), headers });
}

async function signIn(
  login = adminLogin({ token: TOKEN }),
  url = 'https://app.example/admin/login',
  headers = {},
) {
  const response = await login.POST(post(url, TOKEN, headers));
  return { response, cookie: response.headers.get('set-cookie') ?? '' };
}

const withCookie = (cookie: string) =>
  new Request('https://app.example/admin', { headers: { cookie: cookie.split(';')[0]! } });

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe('adminLogin', () => {
  it('signs in with the token: a 303 to the dashboard and an HttpOnly, Secure, SameSite=Strict cookie without the token', async () => {
    const login = adminLogin({ token: TOKEN });
    const { response, cookie } = await signIn(login);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin');
    expect(cookie).toMatch(
      /^neptune-admin=\d+\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800; Secure$/,
    );
    expect(cookie).not.toContain(TOKEN);
    expect(cookie).not.toContain(encodeURIComponent(TOKEN));
    expect(await login.guard(withCookie(cookie))).toEqual({ admin: true, allWorkspaces: true });
  });

  it('refuses a wrong token, a forged or tampered cookie, and one signed with another token', async () => {
    const login = adminLogin({ token: TOKEN });
    expect((await login.POST(post('https://app.example/admin/login', `${TOKEN}x`))).status).toBe(401);
    expect((await login.POST(post('https://app.example/admin/login', ''))).status).toBe(401);
    const { cookie } = await signIn(login);
    const value = cookie.split(';')[0]!.split('=')[1]!;
    const [expires, mac] = value.split('.');
    expect(await login.guard(withCookie(`neptune-admin=${Number(expires) + 1000}.${mac}`))).toBeNull();
    expect(await login.guard(withCookie(`neptune-admin=${TOKEN}`))).toBeNull();
    expect(await login.guard(new Request('https://app.example/admin'))).toBeNull();
    const other = adminLogin({ token: `another-${TOKEN}` });
    expect(await other.guard(withCookie(cookie))).toBeNull();
  });

  it('lets a cookie expire', async () => {
    const login = adminLogin({ token: TOKEN, maxAgeSeconds: 60 });
    const { cookie } = await signIn(login);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await login.guard(withCookie(cookie))).toBeNull();
  });

  it('sets Secure behind a TLS-terminating proxy, and leaves it off only for plain HTTP to localhost', async () => {
    const proxied = await signIn(undefined, 'http://10.0.0.5:3000/admin/login', {
      host: 'app.example',
      'x-forwarded-proto': 'https',
    });
    expect(proxied.cookie).toContain('; Secure');
    const local = await signIn(undefined, 'http://localhost:3000/admin/login', { host: 'localhost:3000' });
    expect(local.cookie).not.toContain('Secure');
    const forced = await signIn(
      adminLogin({ token: TOKEN, secure: true }),
      'http://localhost:3000/admin/login',
    );
    expect(forced.cookie).toContain('; Secure');
  });

  it("refuses a form posted from another site's page", async () => {
    const login = adminLogin({ token: TOKEN });
    const response = await login.POST(
      post('https://app.example/admin/login', TOKEN, { origin: 'https://evil.example' }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('reads NEPTUNE_METRICS_TOKEN at the first request, not at creation, and says what is missing', async () => {
    vi.stubEnv('NEPTUNE_METRICS_TOKEN', '');
    const login = adminLogin(); // module scope during `next build`: no variable, no throw
    expect(await login.GET(new Request('https://app.example/admin/login')).text()).toContain(
      'set NEPTUNE_METRICS_TOKEN (at least 24 characters)',
    );
    expect((await login.POST(post('https://app.example/admin/login', ''))).status).toBe(401);
    vi.stubEnv('NEPTUNE_METRICS_TOKEN', 'too-short');
    expect(await login.GET(new Request('https://app.example/admin/login')).text()).toContain(
      'at least 24 characters',
    );
    vi.stubEnv('NEPTUNE_METRICS_TOKEN', TOKEN);
    const { response, cookie } = await signIn(login);
    expect(response.status).toBe(303);
    expect(await login.guard(withCookie(cookie))).not.toBeNull();
  });

  it('refuses bad options with a ConfigurationError naming the field', () => {
    expect(() => adminLogin({ token: 'short' })).toThrow(ConfigurationError);
    expect(() => adminLogin({ redirectTo: '//evil.example' })).toThrow(/redirectTo/);
  });

  it('clears the cookie on logout', () => {
    const response = adminLogin({ token: TOKEN }).logout(new Request('https://app.example/admin/logout'));
    expect(response.headers.get('set-cookie')).toMatch(/^neptune-admin=; .*Max-Age=0/);
    expect(response.headers.get('location')).toBe('/admin/login');
  });
});
