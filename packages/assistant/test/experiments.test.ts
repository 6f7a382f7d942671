import { memoryKeyValueStore } from '@neptune/cache';
import {
  ConfigurationError,
  createTelemetryChannel,
  type NeptuneEvent,
  type NeptuneEventOf,
} from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { describe, expect, it } from 'vitest';
import { type AssistantOptions, createAssistant } from '../src';
import { helpKnowledgeBase, WORKSPACE } from './help-articles';

const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
const knowledge = await helpKnowledgeBase();

function setUp(experiment: AssistantOptions['experiment']) {
  const telemetry = createTelemetryChannel();
  const events: NeptuneEvent[] = [];
  telemetry.subscribe((event) => events.push(event));
  const assistant = createAssistant({
    model: extractiveChatModel({ telemetry }),
    knowledge,
    memory: false,
    tokenizer,
    telemetry,
    feedback: { store: memoryKeyValueStore() },
    experiment,
  });
  return { assistant, events };
}

const TOP_ONE = {
  id: 'top-k',
  variants: [
    { id: 'control', percent: 80 },
    { id: 'top-one', percent: 20, options: { retrieve: { topK: 1 } } },
  ],
};

describe('assistant experiments', () => {
  it('assigns users to variants by a stable hash, close to the set percentages, the same every time', () => {
    const { assistant } = setUp(TOP_ONE);
    const again = setUp(TOP_ONE).assistant;
    const counts = { control: 0, 'top-one': 0 } as Record<string, number>;
    for (let user = 0; user < 5_000; user++) {
      const scope = { workspaceId: WORKSPACE, userId: `user-${user}` };
      const assignment = assistant.variantOf(scope)!;
      expect(again.variantOf(scope)).toEqual(assignment); // sticky across instances
      counts[assignment.variant]!++;
    }
    // 20% of 5,000 is 1,000; a fair hash stays within 4 standard deviations (about 113).
    expect(Math.abs(counts['top-one']! - 1_000)).toBeLessThan(113);
    expect(setUp(undefined).assistant.variantOf({ workspaceId: WORKSPACE, userId: 'x' })).toBeUndefined();
  });

  it("runs each user's requests with their variant's options, and records the variant on request and feedback events", async () => {
    const { assistant, events } = setUp(TOP_ONE);
    const userIn = (variant: string) => {
      for (let user = 0; ; user++) {
        const scope = { workspaceId: WORKSPACE, userId: `u${user}` };
        if (assistant.variantOf(scope)?.variant === variant) return scope;
      }
    };
    const question = 'How do I set up single sign-on, and what about API rate limits and refunds?';
    const passagesFor = async (variant: string) => {
      const scope = userIn(variant);
      const result = await assistant.respond({ scope, message: question });
      await result.text;
      await result.finished;
      await assistant.recordFeedback({ scope, requestId: result.requestId, rating: 'up' });
      const end = events.findLast(
        (event): event is NeptuneEventOf<'request-end'> =>
          event.type === 'request-end' && event.requestId === result.requestId,
      );
      const feedback = events.findLast((event) => event.type === 'feedback');
      expect(end?.experiment).toEqual({ id: 'top-k', variant });
      expect(feedback).toMatchObject({ requestId: result.requestId, experiment: { id: 'top-k', variant } });
      expect(
        events.find((event) => event.type === 'request-start' && event.requestId === result.requestId),
      ).toMatchObject({ experiment: { id: 'top-k', variant } });
      return result.citations.length;
    };
    expect(await passagesFor('top-one')).toBe(1);
    expect(await passagesFor('control')).toBeGreaterThan(1);
  });

  it('refuses an experiment whose percentages do not add up to 100, or with one variant, naming the option', () => {
    const refuse = (experiment: unknown, pattern: RegExp) =>
      expect(() => setUp(experiment as AssistantOptions['experiment'])).toThrow(pattern);
    refuse(
      {
        id: 'x',
        variants: [
          { id: 'a', percent: 80 },
          { id: 'b', percent: 30 },
        ],
      },
      /add up to 100/,
    );
    refuse({ id: 'x', variants: [{ id: 'a', percent: 100 }] }, /at least two variants/);
    refuse(
      {
        id: 'x',
        variants: [
          { id: 'a', percent: 50 },
          { id: 'a', percent: 50 },
        ],
      },
      /must differ/,
    );
    refuse(
      {
        id: 'bad id',
        variants: [
          { id: 'a', percent: 50 },
          { id: 'b', percent: 50 },
        ],
      },
      /experiment/,
    );
    expect(() => setUp({ id: 'x', variants: [{ id: 'a', percent: 100 }] })).toThrow(ConfigurationError);
  });
});
