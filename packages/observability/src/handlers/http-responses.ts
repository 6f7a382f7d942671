const BASE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export function textResponse(
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(body, {
    status: 200,
    headers: { ...BASE_HEADERS, 'content-type': contentType, ...headers },
  });
}

export type ProblemCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'invalid-argument'
  | 'method-not-allowed'
  | 'not-configured'
  | 'internal';

const STATUS: Record<ProblemCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  'invalid-argument': 400,
  'method-not-allowed': 405,
  'not-configured': 501,
  internal: 500,
};

/** An error answer: `{ error: { code, message } }` with the matching status. */
export function problemResponse(code: ProblemCode, message: string): Response {
  const headers: Record<string, string> = {};
  if (code === 'unauthenticated') headers['www-authenticate'] = 'Bearer realm="neptune-admin"';
  if (code === 'method-not-allowed') headers.allow = 'GET';
  return jsonResponse({ error: { code, message } }, STATUS[code], headers);
}
