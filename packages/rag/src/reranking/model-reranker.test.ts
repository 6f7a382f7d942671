import {
  AbortError,
  ConfigurationError,
  createTelemetryChannel,
  type NeptuneEvent,
  ProviderError,
  type RerankCandidate,
} from '@neptune/core';
import { mockChatModel } from '@neptune/core/testing';
import { describe, expect, it } from 'vitest';
import { modelReranker } from './model-reranker';

const candidates: RerankCandidate[] = Array.from({ length: 30 }, (_, index) => ({
  id: `chunk-${index}`,
  text: `Passage number ${index} about topic ${index % 5}.`,
  score: 0.5 - index / 100,
}));

const scoresReply = (scores: Array<[number, number]>) =>
  JSON.stringify({ scores: scores.map(([index, score]) => ({ index, score })) });

/** The passage numbers shown in the prompt, in order. */
function shownNumbers(prompt: string): number[] {
  return [...prompt.matchAll(/^\[(\d+)\] /gm)].map((match) => Number(match[1]));
}

function recordingTelemetry() {
  const telemetry = createTelemetryChannel();
  const events: NeptuneEvent[] = [];
  telemetry.subscribe((event) => events.push(event));
  return { telemetry, events };
}

describe('modelReranker', () => {
  it('scores 30 candidates in exactly one call and orders by the normalised scores', async () => {
    const model = mockChatModel();
    // Passage 30 best, then 2, then 1; every other passage gets 1.
    const scores: Array<[number, number]> = candidates.map((_, index) => [index + 1, 1]);
    scores[29] = [30, 10];
    scores[1] = [2, 8];
    scores[0] = [1, 6.5];
    model.enqueue(scoresReply(scores));
    const results = await modelReranker({ model }).rerank('topic 4', candidates, { topN: 30 });
    expect(model.requests).toHaveLength(1);
    const prompt = model.requests[0]!.messages.at(-1)!.content;
    expect(shownNumbers(prompt)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
    expect(prompt).toContain('Query: topic 4');
    expect(results).toHaveLength(30);
    expect(results.slice(0, 4)).toEqual([
      { id: 'chunk-29', score: 1 },
      { id: 'chunk-1', score: 0.8 },
      { id: 'chunk-0', score: 0.65 },
      { id: 'chunk-2', score: 0.1 },
    ]);
  });

  it('puts candidates the model left out after the scored ones, in their input order, and returns at most topN', async () => {
    const model = mockChatModel();
    // Unknown numbers (0, 99) and a second score for passage 3 are ignored.
    model.enqueue(
      scoresReply([
        [3, 2],
        [5, 9],
        [0, 10],
        [99, 10],
        [3, 10],
      ]),
    );
    const five = candidates.slice(0, 5);
    const results = await modelReranker({ model }).rerank('q', five, { topN: 5 });
    expect(results.map((result) => result.id)).toEqual([
      'chunk-4',
      'chunk-2',
      'chunk-0',
      'chunk-1',
      'chunk-3',
    ]);
    expect(results.map((result) => result.score)).toEqual([0.9, 0.2, 0, 0, 0]);
    model.enqueue(
      scoresReply([
        [3, 2],
        [5, 9],
      ]),
    );
    expect(await modelReranker({ model }).rerank('q', five, { topN: 2 })).toHaveLength(2);
  });

  it('cuts passages to the token budget and leaves the candidates that cannot fit unscored', async () => {
    const wordTokenizer = {
      count: (text: string) => text.split(/\s+/).filter(Boolean).length,
      truncate: (text: string, maxTokens: number) =>
        text.split(/\s+/).filter(Boolean).slice(0, maxTokens).join(' '),
    };
    const long = candidates.map((candidate, index) => ({
      ...candidate,
      text:
        index === 0 ? 'short relevant passage' : Array.from({ length: 400 }, () => `word${index}`).join(' '),
    }));
    const model = mockChatModel();
    model.enqueue(scoresReply([[1, 3]]));
    const results = await modelReranker({ model, maxTokens: 1000, tokenizer: wordTokenizer }).rerank(
      'q',
      long,
      {
        topN: 30,
      },
    );
    const prompt = model.requests[0]!.messages.map((message) => message.content).join('\n');
    expect(wordTokenizer.count(prompt)).toBeLessThanOrEqual(1000);
    const shown = shownNumbers(model.requests[0]!.messages.at(-1)!.content);
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(30);
    expect(prompt).toContain('[1] short relevant passage');
    expect(results[0]).toEqual({ id: 'chunk-0', score: 0.3 });
    expect(results.slice(1).map((result) => result.id)).toEqual(
      long.slice(1).map((candidate) => candidate.id),
    );
  });

  it('uses the repair attempt when the first answer does not parse', async () => {
    const model = mockChatModel();
    model.enqueue(
      'Passage 2 is the best.',
      scoresReply([
        [2, 10],
        [1, 0],
      ]),
    );
    const results = await modelReranker({ model }).rerank('q', candidates.slice(0, 2), { topN: 2 });
    expect(model.requests).toHaveLength(2);
    expect(results.map((result) => result.id)).toEqual(['chunk-1', 'chunk-0']);
  });

  it('keeps the input order with its scores and emits an error event when the model fails', async () => {
    const { telemetry, events } = recordingTelemetry();
    const model = mockChatModel();
    model.failNext(new ProviderError({ message: 'overloaded', isRetryable: true }));
    const results = await modelReranker({ model, telemetry }).rerank('q', candidates.slice(0, 3), {
      topN: 3,
    });
    expect(results).toEqual(candidates.slice(0, 3).map(({ id, score }) => ({ id, score })));
    expect(events).toEqual([
      expect.objectContaining({ type: 'error', source: 'rag', code: 'provider-error' }),
    ]);
  });

  it('falls back to rank-based scores when the input scores are not in [0, 1]', async () => {
    const model = mockChatModel({ reply: '{"scores": "none"}' });
    const bm25 = [
      { id: 'a', text: 'x', score: 12.5 },
      { id: 'b', text: 'y', score: 7 },
    ];
    const results = await modelReranker({ model, telemetry: createTelemetryChannel() }).rerank('q', bm25, {
      topN: 2,
    });
    expect(results).toEqual([
      { id: 'a', score: 1 },
      { id: 'b', score: 0.5 },
    ]);
  });

  it('rethrows the caller abort instead of falling back', async () => {
    const controller = new AbortController();
    controller.abort();
    const model = mockChatModel();
    await expect(
      modelReranker({ model }).rerank('q', candidates, { topN: 5, signal: controller.signal }),
    ).rejects.toSatisfy(AbortError.isInstance);
    expect(model.requests).toHaveLength(0);
  });

  it('makes no call for no candidates, and refuses bad options', async () => {
    const model = mockChatModel();
    expect(await modelReranker({ model }).rerank('q', [], { topN: 5 })).toEqual([]);
    expect(model.requests).toHaveLength(0);
    expect(() => modelReranker({ model, maxTokens: 10 })).toThrow(ConfigurationError);
    expect(() => modelReranker({ model, maxTokens: 10 })).toThrow(/maxTokens/);
  });
});
