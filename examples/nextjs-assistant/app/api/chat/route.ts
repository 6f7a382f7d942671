import { after } from 'next/server';
import { neptune } from '@/lib/neptune';
import { demoScope } from '@/lib/session';

/**
 * POST { conversationId, message }: the answer streamed with its citations (the AI SDK's UI message
 * stream), from app context, the help articles and the conversation so far; bad input answers 400.
 */
export async function POST(request: Request): Promise<Response> {
  const { assistant } = await neptune();
  return assistant.handler({ resolveScope: demoScope, after })(request);
}
