import { type Scope, validateScope } from '@neptune/core';
import { readCookie } from './cookies';
import { DEMO_WORKSPACE } from './neptune';

/**
 * The demo's session: workspace `demo`, and the user named by the `x-demo-user` header or the
 * `demo-user` cookie, else `guest`. A real app takes both from its auth instead, and answers 401 here
 * when there is no session. A malformed user id throws `ScopeError`, which the handler answers 400.
 */
export function demoScope(request: Request): Scope {
  const userId = request.headers.get('x-demo-user') ?? readCookie(request, 'demo-user') ?? 'guest';
  return validateScope({ workspaceId: DEMO_WORKSPACE, userId });
}
