import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StructuredOutputError } from '../errors';
import { mockChatModel } from '../testing/mock-chat-model';
import { parseStructuredOutput } from './structured-output';

const contact = z.object({ name: z.string(), score: z.number().min(0).max(10) });

describe('parseStructuredOutput', () => {
  it('reads plain JSON, fenced JSON and JSON wrapped in prose', () => {
    expect(parseStructuredOutput('{"name":"Ana","score":7}', contact)).toEqual({
      ok: true,
      value: { name: 'Ana', score: 7 },
    });
    expect(parseStructuredOutput('```json\n{"name":"Ana","score":7}\n```', contact).ok).toBe(true);
    expect(parseStructuredOutput('Here you go: {"name":"Ana","score":7} Hope it helps', contact).ok).toBe(
      true,
    );
  });

  it('says what was wrong', () => {
    const invalidJson = parseStructuredOutput('{"name": "Ana",', contact);
    expect(invalidJson.ok).toBe(false);
    expect(!invalidJson.ok && invalidJson.problem).toMatch(/not valid JSON/);
    const mismatch = parseStructuredOutput('{"name":"Ana","score":11}', contact);
    expect(!mismatch.ok && mismatch.problem).toMatch(/score: .*10/);
  });
});

describe('generateStructured through a chat model', () => {
  it('returns the validated object on the first valid answer', async () => {
    const model = mockChatModel();
    model.enqueue('{"name":"Ana","score":7}');
    const result = await model.generateObject({
      messages: [{ role: 'user', content: 'rate Ana' }],
      schema: contact,
    });
    expect(result).toMatchObject({ object: { name: 'Ana', score: 7 }, attempts: 1 });
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]!.messages[0]!.content).toContain('"score"');
  });

  it('repairs once: shows the model its answer and the problem', async () => {
    const model = mockChatModel();
    model.enqueue('{"name":"Ana"}', '{"name":"Ana","score":3}');
    const result = await model.generateObject({
      messages: [{ role: 'user', content: 'rate Ana' }],
      schema: contact,
    });
    expect(result.attempts).toBe(2);
    expect(result.object.score).toBe(3);
    const repair = model.requests[1]!.messages;
    expect(repair.at(-2)).toEqual({ role: 'assistant', content: '{"name":"Ana"}' });
    expect(repair.at(-1)!.content).toMatch(/score/);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });

  it('throws StructuredOutputError after a failed repair', async () => {
    const model = mockChatModel();
    model.enqueue('not json', '{"name":5}');
    await expect(
      model.generateObject({
        messages: [{ role: 'user', content: 'x' }],
        schema: contact,
        schemaName: 'contact',
      }),
    ).rejects.toSatisfy(
      (error) =>
        StructuredOutputError.isInstance(error) &&
        /"contact" after one repair attempt/.test((error as Error).message),
    );
    expect(model.requests).toHaveLength(2);
  });
});
