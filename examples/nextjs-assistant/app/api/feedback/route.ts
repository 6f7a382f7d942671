import { after } from 'next/server';
import { neptune } from '@/lib/neptune';
import { demoScope } from '@/lib/session';

/**
 * POST { requestId, rating: 'up' | 'down' | 1..5, comment? }: a rating of an answer this user received;
 * 404 for any other request id, 409 when it was rated already, 400 for bad input.
 */
export async function POST(request: Request): Promise<Response> {
  const { assistant } = await neptune();
  return assistant.feedbackHandler({ resolveScope: demoScope, after })(request);
}
