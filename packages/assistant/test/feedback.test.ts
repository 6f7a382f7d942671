import { memoryKeyValueStore } from '@neptune/cache';
import { redisKeyValueStore } from '@neptune/cache/redis';
import {
  createTelemetryChannel,
  type KeyValueStore,
  NeptuneError,
  type NeptuneEvent,
  type Scope,
  ValidationError,
} from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import { describeWithService, randomTestId } from '@neptune/core/testing';
import { createTokenizer } from '@neptune/core/tokenizer';
import { afterAll, describe, expect, it } from 'vitest';
import { createAssistant, UnknownRequestError } from '../src';
import { helpKnowledgeBase, WORKSPACE } from './help-articles';

const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
const knowledge = await helpKnowledgeBase();
const ana: Scope = { workspaceId: WORKSPACE, userId: 'ana' };
const bob: Scope = { workspaceId: WORKSPACE, userId: 'bob' };
const globex: Scope = { workspaceId: 'globex', userId: 'ana' };

/** The feedback flow on one key-value store: the ledger and the ratings live there. */
function describeFeedback(name: string, createStore: () => KeyValueStore) {
  describe(`assistant feedback on ${name}`, () => {
    const store = createStore();
    const telemetry = createTelemetryChannel();
    const events: NeptuneEvent[] = [];
    telemetry.subscribe((event) => events.push(event));
    const assistant = createAssistant({
      model: extractiveChatModel({ telemetry }),
      knowledge,
      memory: false,
      tokenizer,
      telemetry,
      feedback: { store },
    });
    afterAll(async () => {
      await store.clear({ workspaceId: WORKSPACE });
      await store.clear({ workspaceId: 'globex' });
      await store.close();
    });

    /** Asks a question and reads the answer to its end; returns its request id and cited passage ids. */
    const ask = async (scope: Scope) => {
      const result = await assistant.respond({ scope, message: 'Can I get a refund on an annual plan?' });
      await result.text;
      await result.finished;
      return { requestId: result.requestId, passageIds: result.citations.map((c) => c.passageId) };
    };

    it('records a rating once, as a feedback event without the comment, and keeps the comment in the workspace', async () => {
      const { requestId, passageIds } = await ask(ana);
      expect(passageIds.length).toBeGreaterThan(0);
      const comment = `clear answer ${randomTestId('c')}`;
      const result = await assistant.recordFeedback({
        scope: ana,
        requestId,
        rating: 'up',
        comment,
        passageIds: passageIds.slice(0, 1),
      });
      expect(result).toEqual({ requestId, positive: true, score: 1 });
      const feedback = events.filter((event) => event.type === 'feedback');
      expect(feedback).toHaveLength(1);
      expect(feedback[0]).toMatchObject({ requestId, positive: true, score: 1, scope: ana });
      expect(JSON.stringify(events)).not.toContain(comment);

      const listed = await assistant.listFeedback({ workspaceId: WORKSPACE });
      expect(listed.map((entry) => entry.comment)).toContain(comment);
      expect(await assistant.listFeedback({ workspaceId: 'globex' })).toEqual([]);

      await expect(assistant.recordFeedback({ scope: ana, requestId, rating: 'down' })).rejects.toSatisfy(
        (error) => NeptuneError.isInstance(error) && error.code === 'conflict',
      );
      expect(events.filter((event) => event.type === 'feedback')).toHaveLength(1);
    });

    it('scores stars: 4 and 5 are positive, on a 0..1 scale', async () => {
      const { requestId } = await ask(ana);
      expect(await assistant.recordFeedback({ scope: ana, requestId, rating: 2 })).toEqual({
        requestId,
        positive: false,
        score: 0.25,
      });
    });

    it('refuses unknown, foreign and other users’ request ids with UnknownRequestError', async () => {
      const { requestId } = await ask(ana);
      const { requestId: globexRequest } = await ask(globex);
      const refused = (scope: Scope, id: string) =>
        expect(assistant.recordFeedback({ scope, requestId: id, rating: 'up' })).rejects.toSatisfy(
          (error) => UnknownRequestError.isInstance(error) && error.code === 'not-found',
        );
      await refused(ana, 'no-such-request');
      await refused(ana, globexRequest); // another workspace's answer
      await refused({ workspaceId: 'globex', userId: 'ana' }, requestId);
      await refused(bob, requestId); // same workspace, another user
      // Nothing was stored by the refusals: the rightful user can still rate.
      expect((await assistant.recordFeedback({ scope: ana, requestId, rating: 5 })).positive).toBe(true);
    });

    it('refuses bad input with a ValidationError naming the field, and passages that were not in the prompt', async () => {
      const { requestId } = await ask(ana);
      for (const [input, field] of [
        [{ scope: ana, requestId, rating: 6 }, 'rating'],
        [{ scope: ana, requestId, rating: 'meh' }, 'rating'],
        [{ scope: ana, requestId: '', rating: 'up' }, 'requestId'],
        [{ scope: ana, requestId, rating: 'up', comment: 'x'.repeat(2_001) }, 'comment'],
        [{ scope: ana, requestId, rating: 'up', passageIds: ['not-in-the-prompt'] }, 'passageIds'],
      ] as const) {
        await expect(assistant.recordFeedback(input as never)).rejects.toSatisfy(
          (error) => ValidationError.isInstance(error) && (error as Error).message.includes(field),
        );
      }
      await expect(
        assistant.recordFeedback({ scope: { workspaceId: 'a:b' }, requestId, rating: 'up' }),
      ).rejects.toSatisfy((error) => NeptuneError.isInstance(error) && error.code === 'invalid-scope');
      expect((await assistant.recordFeedback({ scope: ana, requestId, rating: 'down' })).positive).toBe(
        false,
      );
    });

    it('serves the feedback route: 201, 400 naming the field, 404 for a foreign id, 409 when rated, 405', async () => {
      const handler = assistant.feedbackHandler({
        resolveScope: (request) => ({
          workspaceId: WORKSPACE,
          userId: request.headers.get('x-user') ?? 'guest',
        }),
      });
      const post = (body: unknown, user = 'ana') =>
        handler(
          new Request('http://localhost/api/feedback', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-user': user },
            body: typeof body === 'string' ? body : JSON.stringify(body),
          }),
        );
      const { requestId } = await ask(ana);
      const bad = await post({ requestId, rating: 'great' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain('rating');
      expect((await post('{oops')).status).toBe(400);
      expect((await post({ requestId, rating: 'up' }, 'bob')).status).toBe(404);
      const created = await post({ requestId, rating: 'up', comment: 'thanks' });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ requestId, positive: true, score: 1 });
      expect((await post({ requestId, rating: 'down' })).status).toBe(409);
      expect((await handler(new Request('http://localhost/api/feedback'))).status).toBe(405);
    });
  });
}

describeFeedback('the in-memory store', () => memoryKeyValueStore());
describeWithService('REDIS_URL', 'feedback on a real Redis', (url) => {
  describeFeedback('Redis', () => redisKeyValueStore({ url, prefix: `${randomTestId('nfb')}:` }));
});
