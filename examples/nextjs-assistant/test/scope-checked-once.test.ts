/**
 * Issue #19: a request validates its scope once. The example's chat route is loaded in this process
 * (Next.js' `after` and `server-only` are the framework's, replaced here by what they do on a server) and
 * `Scope.of`, the one place a scope's ids are checked, is counted across the whole request: the handler's
 * session, the cache, the stores, memory, the feedback ledger and the metrics the turn records.
 */
import { fileURLToPath } from 'node:url';
import { Scope } from '@neptune/core';
import { beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
const afterTasks: Promise<unknown>[] = [];
vi.mock('next/server', () => ({
  after: (task: Promise<unknown> | (() => unknown)) => {
    afterTasks.push(typeof task === 'function' ? Promise.resolve().then(task) : task);
  },
}));

// Embedded defaults: the count does not depend on the stores, and this file must not share the demo
// workspace's Redis keys and tables with the browser test running beside it.
delete process.env.REDIS_URL;
delete process.env.DATABASE_URL;
process.env.NEXT_RUNTIME = 'nodejs';
// Next.js runs the app from its folder; the example reads its data relative to it.
process.chdir(fileURLToPath(new URL('..', import.meta.url)));

let POST: (request: Request) => Promise<Response>;

beforeAll(async () => {
  const { register } = await import('../instrumentation');
  await register();
  ({ POST } = await import('../app/api/chat/route'));
}, 120_000);

async function chat(user: string, conversationId: string, message: string): Promise<string> {
  const response = await POST(
    new Request('http://localhost/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-demo-user': user },
      body: JSON.stringify({ conversationId, message }),
    }),
  );
  expect(response.status).toBe(200);
  const body = await response.text();
  await Promise.all(afterTasks.splice(0));
  return body;
}

describe('a chat request through the Next.js example', () => {
  it('checks its scope once, and a returning user not at all', async () => {
    const check = vi.spyOn(Scope, 'of');
    const user = `scope-count-${Date.now().toString(36)}`;
    const first = await chat(user, 'scope-count', 'How do I export my contacts as CSV?');
    expect(first).toContain('source-document');
    expect(check).toHaveBeenCalledTimes(1);

    check.mockClear();
    await chat(user, 'scope-count', 'And can I schedule that export?');
    expect(check).toHaveBeenCalledTimes(0);
  }, 60_000);
});
