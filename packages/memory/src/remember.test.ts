import {
  createTelemetryChannel,
  type FactExtractor,
  memoryKeyValueStore,
  type NeptuneEvent,
} from '@neptune/core';
import { mockChatModel } from '@neptune/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemory } from './create-memory';
import { modelFactExtractor } from './extraction/model-fact-extractor';
import { offlineFactExtractor } from './extraction/offline-fact-extractor';
import { currentFacts } from './session/session-memory';
import { modelSummarizer } from './summarization/model-summarizer';
import { expectRejection } from './testing/expect-rejection';

const ana = { workspaceId: 'acme', userId: 'ana' };

describe('remember', () => {
  it('stores the turn and keeps facts with the ids of the messages they came from', async () => {
    const memory = createMemory({ consentDefaults: 'opt-out' });
    const result = await memory.remember(ana, 'c1', {
      user: 'Our budget is $40k. Who approves it?',
      assistant: 'Noted.',
    });
    expect(result.messages.map((message) => [message.sequence, message.role])).toEqual([
      [1, 'user'],
      [2, 'assistant'],
    ]);
    expect(result).toMatchObject({
      updated: true,
      factsAdded: 1,
      factsSuperseded: 0,
      summarized: false,
      strategyCalls: 1,
    });
    const session = await memory.getSessionMemory(ana, 'c1');
    expect(session!.facts).toEqual([
      expect.objectContaining({
        text: 'Our budget is $40k',
        subject: 'budget',
        sourceMessageIds: [result.messages[0]!.id],
        validFrom: result.messages[0]!.createdAt,
      }),
    ]);
    expect(session!.entities).toContainEqual(expect.objectContaining({ name: '$40k', type: 'amount' }));
  });

  it('supersedes a fact on the same subject instead of overwriting it', async () => {
    const memory = createMemory({ consentDefaults: 'opt-out' });
    await memory.remember(ana, 'c1', { user: 'Our budget is $40k.', assistant: 'Noted.' });
    const update = await memory.remember(ana, 'c1', {
      user: 'Update: the budget is now $55k.',
      assistant: 'Updated.',
    });
    expect(update).toMatchObject({ factsAdded: 1, factsSuperseded: 1 });
    const session = await memory.getSessionMemory(ana, 'c1');
    const [old, latest] = session!.facts;
    expect(old).toMatchObject({ text: 'Our budget is $40k', supersededBy: latest!.id });
    expect(old!.supersededAt).toBeInstanceOf(Date);
    expect(latest!.text).toBe('the budget is now $55k');
    expect(latest!.supersededBy).toBeUndefined();
    expect(currentFacts(session!).map((fact) => fact.text)).toEqual(['the budget is now $55k']);
    // Saying it again credits the new message rather than adding a duplicate.
    const again = await memory.remember(ana, 'c1', { user: 'The budget is now $55k.' });
    const after = await memory.getSessionMemory(ana, 'c1');
    expect(after!.facts).toHaveLength(2);
    expect(after!.facts[1]!.sourceMessageIds).toContain(again.messages[0]!.id);
  });

  it('folds the oldest turns into the summary every N turns and keeps the last N in full', async () => {
    const memory = createMemory({ consentDefaults: 'opt-out', summarizeEveryTurns: 3 });
    const turn = (index: number) => ({
      user: `Turn ${index}: the code name of project ${index} is Falcon${index}.`,
      assistant: `Noted ${index}.`,
    });
    for (let index = 1; index <= 5; index++)
      expect((await memory.remember(ana, 'c1', turn(index))).summarized).toBe(false);
    const sixth = await memory.remember(ana, 'c1', turn(6));
    expect(sixth).toMatchObject({ summarized: true, strategyCalls: 2 });
    let session = await memory.getSessionMemory(ana, 'c1');
    expect(session).toMatchObject({ summarizedThroughSequence: 6, turnsSinceSummary: 3 });
    expect(session!.summary).toContain('Falcon1');
    expect(session!.summary).not.toContain('Falcon4');
    const recalled = await memory.recall(ana, 'c1', { maxTokens: 2_000 });
    expect(recalled.messages.map((message) => message.sequence)).toEqual([7, 8, 9, 10, 11, 12]);
    for (let index = 7; index <= 8; index++)
      expect((await memory.remember(ana, 'c1', turn(index))).summarized).toBe(false);
    expect((await memory.remember(ana, 'c1', turn(9))).summarized).toBe(true);
    session = await memory.getSessionMemory(ana, 'c1');
    expect(session).toMatchObject({ summarizedThroughSequence: 12, turnsSinceSummary: 3 });
    expect(session!.summary).toContain('Falcon6');
  });

  it('stores the messages of a user who opted out, and keeps no memory of them', async () => {
    const memory = createMemory({ consentDefaults: 'opt-out' });
    await memory.setConsent(ana, { extraction: false });
    const result = await memory.remember(ana, 'c1', { user: 'Our budget is $40k.', assistant: 'Noted.' });
    expect(result).toMatchObject({ updated: false, skipped: 'opted-out', strategyCalls: 0 });
    expect(result.messages).toHaveLength(2);
    expect(await memory.getSessionMemory(ana, 'c1')).toBeUndefined();
    const recalled = await memory.recall(ana, 'c1', { maxTokens: 500 });
    expect(recalled.facts).toEqual([]);
    expect(recalled.messages).toHaveLength(2);
  });

  it('reports a failed extraction, keeps the messages, and catches up on the next turn', async () => {
    const offline = offlineFactExtractor();
    const seen: string[][] = [];
    let failures = 1;
    const flaky: FactExtractor = {
      name: 'flaky',
      async extract(messages, options) {
        seen.push(messages.map((message) => message.content));
        if (failures-- > 0) throw new Error('model timed out');
        return offline.extract(messages, options);
      },
    };
    const memory = createMemory({ consentDefaults: 'opt-out', extractor: flaky });
    const failed = await memory.remember(ana, 'c1', { user: 'Our budget is $40k.', assistant: 'Noted.' });
    expect(failed).toMatchObject({ updated: false, skipped: 'failed' });
    expect(failed.error?.message).toMatch(/model timed out/);
    expect(failed.messages).toHaveLength(2);
    await memory.remember(ana, 'c1', { user: 'The deadline is March 3.', assistant: 'Noted.' });
    expect(seen[1]).toEqual(['Our budget is $40k.', 'Noted.', 'The deadline is March 3.', 'Noted.']);
    const facts = currentFacts((await memory.getSessionMemory(ana, 'c1'))!).map((fact) => fact.subject);
    expect(facts).toEqual(['budget', 'deadline']);
  });

  it('loses no facts when turns of one conversation are remembered at once', async () => {
    const memory = createMemory({ consentDefaults: 'opt-out' });
    const subjects = ['budget', 'deadline', 'venue', 'headcount', 'owner', 'price', 'target', 'region'];
    await Promise.all(
      subjects.map((subject, index) =>
        memory.remember(ana, 'c1', { user: `The ${subject} is value-${index}.` }),
      ),
    );
    const session = await memory.getSessionMemory(ana, 'c1');
    expect(
      currentFacts(session!)
        .map((fact) => fact.subject)
        .sort(),
    ).toEqual([...subjects].sort());
    expect(session!.extractedThroughSequence).toBe(subjects.length);
  });

  it('with a model: one structured call per turn, given the known facts, superseding what the model names', async () => {
    const model = mockChatModel();
    model.enqueue(
      JSON.stringify({
        entities: [{ name: 'Brightwave', type: 'organization' }],
        facts: [
          {
            text: 'Campaign budget is $40k',
            subject: 'campaign budget',
            confidence: 0.9,
            sources: [0],
            supersedes: [],
          },
        ],
      }),
      JSON.stringify({
        entities: [],
        facts: [
          {
            text: 'Finance approved $55k for the campaign',
            subject: 'approved spend',
            confidence: 0.9,
            sources: [0],
            supersedes: [0],
          },
        ],
      }),
    );
    const memory = createMemory({ consentDefaults: 'opt-out', extractor: modelFactExtractor({ model }) });
    const first = await memory.remember(ana, 'c1', {
      user: 'Brightwave has $40k for the campaign.',
      assistant: 'Noted.',
    });
    expect(model.requests).toHaveLength(1);
    expect(first.strategyCalls).toBe(1);
    await memory.remember(ana, 'c1', { user: 'Finance approved $55k.', assistant: 'Great.' });
    expect(model.requests).toHaveLength(2);
    const prompt = model.requests[1]!.messages.map((message) => message.content).join('\n');
    expect(prompt).toContain('[0] (campaign budget) Campaign budget is $40k');
    expect(prompt).toContain('[0] user: Finance approved $55k.');
    const session = await memory.getSessionMemory(ana, 'c1');
    expect(session!.facts.map((fact) => [fact.text, fact.supersededBy === undefined])).toEqual([
      ['Campaign budget is $40k', false],
      ['Finance approved $55k for the campaign', true],
    ]);
    expect(session!.facts[1]!.sourceMessageIds).toEqual([session!.facts[1]!.sourceMessageIds[0]]);
  });

  it('with a model summarizer: one summarization call per fold, on top of one extraction per turn', async () => {
    const extractorModel = mockChatModel({ reply: JSON.stringify({ entities: [], facts: [] }) });
    const summaryModel = mockChatModel({ reply: 'The user set up projects one and two.' });
    const memory = createMemory({
      consentDefaults: 'opt-out',
      summarizeEveryTurns: 2,
      extractor: modelFactExtractor({ model: extractorModel }),
      summarizer: modelSummarizer({ model: summaryModel }),
    });
    for (let index = 1; index <= 4; index++)
      await memory.remember(ana, 'c1', { user: `Set up project ${index}.`, assistant: 'Done.' });
    expect(extractorModel.requests).toHaveLength(4);
    expect(summaryModel.requests).toHaveLength(1);
    expect(summaryModel.requests[0]!.maxOutputTokens).toBe(400);
    expect(summaryModel.requests[0]!.messages[1]!.content).toContain('user: Set up project 1.');
    expect(summaryModel.requests[0]!.messages[1]!.content).not.toContain('project 3');
    expect((await memory.getSessionMemory(ana, 'c1'))!.summary).toBe('The user set up projects one and two.');
  });

  it('with a model that answers nonsense: one repair attempt, then a reported failure', async () => {
    const model = mockChatModel({ reply: 'I am not JSON' });
    const memory = createMemory({ consentDefaults: 'opt-out', extractor: modelFactExtractor({ model }) });
    const result = await memory.remember(ana, 'c1', { user: 'Our budget is $40k.' });
    expect(result).toMatchObject({ updated: false, skipped: 'failed' });
    expect(result.error?.code).toBe('structured-output-invalid');
    expect(model.requests).toHaveLength(2);
    expect(result.messages).toHaveLength(1);
  });

  it('reports memory-update events with figures and no content', async () => {
    const telemetry = createTelemetryChannel();
    const events: NeptuneEvent[] = [];
    telemetry.subscribe((event) => events.push(event));
    const memory = createMemory({ consentDefaults: 'opt-out', telemetry, keyValue: memoryKeyValueStore() });
    await memory.remember(ana, 'c1', { user: 'Our budget is $40k.' });
    const update = events.find((event) => event.type === 'memory-update');
    expect(update).toMatchObject({
      type: 'memory-update',
      facts: 1,
      summarized: false,
      modelCalls: 1,
      scope: ana,
    });
    expect(JSON.stringify(events)).not.toContain('$40k');
  });

  it('rejects bad input with typed errors', async () => {
    const memory = createMemory({ consentDefaults: 'opt-out' });
    await expectRejection(
      () => memory.remember({ workspaceId: 'acme' }, 'c1', { user: 'x' }),
      'invalid-argument',
    );
    await expectRejection(() => memory.remember(ana, 'has space', { user: 'x' }), 'invalid-argument');
    await expectRejection(() => memory.remember(ana, 'c1', { text: 'x' } as never), 'invalid-argument');
    await expectRejection(() => memory.remember(ana, 'c1', []), 'invalid-argument');
    await expectRejection(() => memory.recall(ana, 'c1', { maxTokens: 0 }), 'invalid-argument');
    expect(() => createMemory({ consentDefaults: 'opt-out', summarizeEveryTurns: 0 })).toThrow(
      /summarizeEveryTurns/,
    );
    expect(() => createMemory({ consentDefaults: 'opt-out', workspace: { minUsers: 1 } })).toThrow(
      /minUsers/,
    );
    expect(() => createMemory({ consentDefaults: 'opt-out', conversations: {} as never })).toThrow(
      /ConversationStore/,
    );
  });
});
