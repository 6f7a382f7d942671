import { toLanguageModel } from '@neptune/core/ai-sdk';
import { extractiveChatModel } from '@neptune/core/offline';
import { generateText, type ModelMessage, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { assembleContext } from './assemble-context';

const passages = [
  {
    id: 'rate-limits#0',
    text: 'The API allows 600 requests per minute per workspace. Requests over the limit get HTTP 429 with a Retry-After header.',
    citation: { documentId: 'api-rate-limits', title: 'Rate limits' },
  },
  {
    id: 'refunds#0',
    text: 'Annual plans can be refunded within 30 days of purchase. After that, unused months become account credit.',
    citation: { documentId: 'billing-refunds', title: 'Refund policy' },
  },
];

describe('assembled context in the Vercel AI SDK', () => {
  it('goes into generateText and streamText as messages, and the answer cites the right source', async () => {
    const query = 'Can I get a refund on an annual plan?';
    const assembled = await assembleContext({
      query,
      passages,
      memory: {
        messages: [
          { role: 'user', content: 'Hi, I am on the annual plan.' },
          { role: 'assistant', content: 'Thanks, noted.' },
        ],
      },
      budget: { maxTokens: 1_000 },
    });
    // Type-level: the assembled messages are AI SDK ModelMessages as they are, with no mapping.
    const messages: ModelMessage[] = assembled.messages;
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);

    const model = toLanguageModel(extractiveChatModel());
    const { text } = await generateText({ model, messages, allowSystemInMessages: true });
    const refund = assembled.citations.find((citation) => citation.documentId === 'billing-refunds')!;
    expect(text).toContain('Annual plans can be refunded within 30 days of purchase.');
    expect(text).toContain(`[${refund.marker}]`);

    let streamed = '';
    for await (const delta of streamText({ model, messages, allowSystemInMessages: true }).textStream)
      streamed += delta;
    expect(streamed).toBe(text);
  });
});
