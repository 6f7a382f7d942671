import { NeptuneError, validateScope } from '@neptune/core';
import type { MetricsView } from '../metrics/metrics-store';
import { type AdminAccess, type AuthorizeAdmin, parseAdminAccess } from './admin-access';
import { problemResponse } from './http-responses';

export type AdminRoute = (
  request: Request,
  context: { readonly view: MetricsView; readonly url: URL },
) => Promise<Response>;

/**
 * Wraps a route in the admin checks: GET only, 401 without credentials, 403 for non-admins and for a
 * workspace admin asking for another workspace (`?workspace=`), 400 for bad input. The view handed to
 * the route is the only one it can read, so isolation is decided here and nowhere else.
 */
export function guardedHandler(
  authorize: AuthorizeAdmin,
  route: AdminRoute,
  onError: ((error: unknown) => void) | undefined,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET')
      return problemResponse('method-not-allowed', `Use GET, not ${request.method}.`);
    let access: AdminAccess | null;
    try {
      access = parseAdminAccess(await authorize(request));
    } catch (error) {
      onError?.(error);
      return problemResponse('internal', 'The authorize guard failed; the error was passed to onError.');
    }
    if (access === null)
      return problemResponse(
        'unauthenticated',
        'Sign in as an admin, or send Authorization: Bearer <token>.',
      );
    if (!access.admin) return problemResponse('forbidden', 'These metrics are for admins only.');
    const url = new URL(request.url);
    const requested = url.searchParams.get('workspace');
    let view: MetricsView;
    if ('allWorkspaces' in access) {
      if (requested === null || requested === '') view = { allWorkspaces: true };
      else {
        try {
          view = { workspaceId: validateScope({ workspaceId: requested }).workspaceId };
        } catch (error) {
          return problemResponse(
            'invalid-argument',
            (error as Error).message.replace('scope.workspaceId', 'workspace'),
          );
        }
      }
    } else {
      if (requested !== null && requested !== '' && requested !== access.workspaceId)
        return problemResponse('forbidden', 'You can see the metrics of your own workspace only.');
      view = { workspaceId: access.workspaceId };
    }
    try {
      return await route(request, { view, url });
    } catch (error) {
      if (NeptuneError.isInstance(error) && error.code === 'invalid-argument')
        return problemResponse('invalid-argument', error.message);
      onError?.(error);
      return problemResponse('internal', 'Reading metrics failed; the error was passed to onError.');
    }
  };
}
