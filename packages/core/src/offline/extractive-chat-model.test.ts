import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError, ValidationError } from '../errors';
import type { NeptuneEvent } from '../telemetry/events';
import { createTelemetryChannel } from '../telemetry/telemetry-channel';
import { extractiveChatModel, parseNumberedPassages } from './extractive-chat-model';

const system = [
  'Answer from the knowledge below and cite it as [n].',
  '## App context (as of Wed 25 Nov 2026 10:00 UTC)',
  '- [task] Renew the Okta certificate (due tomorrow)',
  '## Knowledge',
  '[1] Refund policy — help-centre',
  'Annual plans can be refunded within 30 days of purchase. After 30 days, we refund the unused months as account credit. Monthly plans are not refunded.',
  '',
  '[2] Rate limits',
  'The API allows 600 requests per minute per workspace. Requests over the limit get HTTP 429 with a Retry-After header.',
  '## Conversation memory',
  'Known facts:',
  '- The customer is on an annual plan.',
].join('\n');

function ask(question: string) {
  return [
    { role: 'system' as const, content: system },
    { role: 'user' as const, content: question },
  ];
}

describe('parseNumberedPassages', () => {
  it('reads each [n] block up to the next marker or heading', () => {
    const passages = parseNumberedPassages(system);
    expect(passages.map((passage) => [passage.marker, passage.label])).toEqual([
      [1, 'Refund policy — help-centre'],
      [2, 'Rate limits'],
    ]);
    expect(passages[1]!.text).toContain('Retry-After');
    expect(passages[1]!.text).not.toContain('Known facts');
  });

  it('keeps a markdown chunk whole, its own headings included', () => {
    const passages = parseNumberedPassages(
      '## Knowledge\n[1] Webhooks\n# Webhooks\nVerify the signature.\n## Retries\nWe retry 5 times.\n\n## Conversation memory\n- fact',
    );
    expect(passages).toEqual([
      {
        marker: 1,
        label: 'Webhooks',
        text: '# Webhooks\nVerify the signature.\n## Retries\nWe retry 5 times.',
      },
    ]);
  });
});

describe('extractiveChatModel', () => {
  it('quotes the sentences that answer the question, with their citation markers', async () => {
    const model = extractiveChatModel();
    const result = await model.generate({ messages: ask('Can annual plans be refunded?') });
    expect(result.text).toMatch(/^Extractive answer/);
    expect(result.text).toContain('Annual plans can be refunded within 30 days of purchase.');
    expect(result.text).toMatch(/\[1\]/);
    expect(result.text).not.toContain('[2]');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBeGreaterThan(50);
  });

  it('cites the other passage for a question about it', async () => {
    const result = await extractiveChatModel({ preamble: '' }).generate({
      messages: ask('What happens when we send too many requests to the API?'),
    });
    expect(result.text.startsWith('The API allows') || result.text.startsWith('Requests over')).toBe(true);
    expect(result.text).toContain('[2]');
    expect(result.text).not.toContain('[1]');
  });

  it('joins hard-wrapped markdown lines and never quotes a heading', async () => {
    const wrapped = [
      '## Knowledge',
      '[1] Billing — billing.md',
      '# Billing',
      '',
      '## How refunds work',
      '',
      'Annual plans are refunded in full within 30 days of',
      'purchase. After that we refund the unused months',
      'as account credit.',
      '',
      '- Monthly plans are not refunded, but you can cancel',
      '  at any time.',
      '',
      'Refunds',
      '=======',
    ].join('\n');
    const result = await extractiveChatModel({ preamble: '' }).generate({
      messages: [
        { role: 'system', content: wrapped },
        { role: 'user', content: 'How do refunds work?' },
      ],
    });
    expect(result.text).not.toMatch(/#|How refunds work|=/);
    expect(result.text).toContain('Annual plans are refunded in full within 30 days of purchase.');
    expect(result.text).not.toMatch(/\n(?!\n?$)/);
  });

  it('says it has no answer when nothing matches, without inventing a citation', async () => {
    const result = await extractiveChatModel().generate({ messages: ask('zebra migration patterns') });
    expect(result.text).toContain('could not find an answer');
    expect(result.text).not.toMatch(/\[\d+\]/);
  });

  it('streams the same text in several deltas and then finishes', async () => {
    const model = extractiveChatModel({ wordsPerDelta: 2 });
    const request = { messages: ask('Can annual plans be refunded?') };
    const deltas: string[] = [];
    let finish: unknown;
    for await (const part of model.stream(request)) {
      if (part.type === 'text-delta') deltas.push(part.text);
      else finish = part;
    }
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe((await model.generate(request)).text);
    expect(finish).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('reports each call as a model-call event from the offline provider', async () => {
    const telemetry = createTelemetryChannel();
    const events: NeptuneEvent[] = [];
    telemetry.subscribe((event) => void events.push(event));
    const model = extractiveChatModel({ telemetry });
    await model.generate({ messages: ask('Can annual plans be refunded?') });
    for await (const _ of model.stream({ messages: ask('rate limit') })) void _;
    expect(
      events.map((event) => event.type === 'model-call' && [event.provider, event.model, event.operation]),
    ).toEqual([
      ['offline', 'extractive', 'chat'],
      ['offline', 'extractive', 'stream'],
    ]);
  });

  it('stops streaming when the caller aborts', async () => {
    const controller = new AbortController();
    const model = extractiveChatModel({ deltaDelayMs: 5 });
    const seen: string[] = [];
    const run = (async () => {
      for await (const part of model.stream({ messages: ask('annual refund'), signal: controller.signal })) {
        if (part.type === 'text-delta') seen.push(part.text);
        if (seen.length === 2) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen.length).toBe(2);
  });

  it('cuts the answer at maxOutputTokens and says so', async () => {
    const result = await extractiveChatModel().generate({
      messages: ask('Can annual plans be refunded?'),
      maxOutputTokens: 5,
    });
    expect(result.finishReason).toBe('length');
    expect(result.text.length).toBeLessThanOrEqual(15);
  });

  it('refuses structured output and a conversation without a user message, saying what to do', async () => {
    const model = extractiveChatModel();
    await expect(
      model.generateObject({ messages: ask('x'), schema: z.object({ a: z.string() }) }),
    ).rejects.toSatisfy(
      (error) => ConfigurationError.isInstance(error) && /offline extractors/.test(String(error)),
    );
    await expect(model.generate({ messages: [{ role: 'system', content: system }] })).rejects.toSatisfy(
      (error) => ValidationError.isInstance(error),
    );
  });
});
