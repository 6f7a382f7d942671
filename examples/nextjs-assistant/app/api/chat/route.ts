import { assembleContext } from '@neptune/context';
import { defaultTelemetry } from '@neptune/core';
import { toLanguageModel } from '@neptune/core/ai-sdk';
import { createUIMessageStream, createUIMessageStreamResponse, streamText } from 'ai';
import { after } from 'next/server';
import type { ChatMessage, CitationMetadata } from '@/lib/chat-message';
import { parseChatRequest } from '@/lib/chat-request';
import { KNOWLEDGE_SCOPE, neptune } from '@/lib/neptune';

const ROUTE = '/api/chat';
/**
 * Passages scoring under this share of the best one are left out. Retrieval always returns `topK`; on a
 * corpus of twelve articles the tail is noise that the answer would otherwise quote. The share is
 * meaningful because the offline embedder's default is score fusion; under rank fusion (a semantic
 * embedder's default) scores are reciprocal ranks and this cut would keep everything.
 */
const MIN_RELATIVE_PASSAGE_SCORE = 0.5;

/**
 * POST { conversationId, message }: retrieves passages, gathers app context and recalls the conversation
 * in parallel, assembles them into one prompt within a token budget, and streams the answer as a UI
 * message stream (server-sent events): the citations first, as `source-document` parts, then the text.
 */
export async function POST(request: Request): Promise<Response> {
  const parsed = await parseChatRequest(request);
  if (!parsed.ok) return parsed.response;
  const { body, scope } = parsed;
  const { knowledge, gatherer, memory, observability, tokenizer, chatModel: model } = await neptune();

  const telemetry = defaultTelemetry();
  const requestId = crypto.randomUUID();
  const startedAt = Date.now();
  let ended = false;
  const end = (figures: {
    ok: boolean;
    passages?: number;
    timeToFirstTokenMs?: number;
    inputTokens?: number;
    outputTokens?: number;
  }) => {
    if (ended) return;
    ended = true;
    telemetry.emit({
      type: 'request-end',
      timestamp: Date.now(),
      scope,
      requestId,
      durationMs: Date.now() - startedAt,
      ...figures,
    });
  };
  telemetry.emit({ type: 'request-start', timestamp: startedAt, scope, requestId, route: ROUTE });

  try {
    const signal = request.signal;
    // None of the three reads "all workspace data": bounded sources, a top-k search, a recall budget.
    const [gathered, retrieved, recalled] = await Promise.all([
      gatherer.gather(scope, { query: body.message, signal, requestId }),
      knowledge.retrieve(KNOWLEDGE_SCOPE, body.message, { topK: 4, signal, requestId }),
      memory.recall(scope, body.conversationId, { maxTokens: 1_200 }),
    ]);
    const best = retrieved.passages[0]?.score ?? 0;
    const assembled = await assembleContext({
      query: body.message,
      items: gathered.items,
      passages: retrieved.passages.filter((passage) => passage.score >= best * MIN_RELATIVE_PASSAGE_SCORE),
      memory: recalled,
      budget: { maxTokens: 6_000 },
      tokenizer,
      scope,
      requestId,
    });

    let timeToFirstTokenMs: number | undefined;
    const passages = assembled.citations.length;
    const result = streamText({
      model: toLanguageModel(model),
      messages: assembled.messages,
      // The one system message is assembleContext's (instructions, context, passages, memory); the
      // client sends only its question, so no one else can put a system message here.
      allowSystemInMessages: true,
      // Attributes the model call (tokens, cost) to this workspace and request on the dashboard.
      providerOptions: { neptune: { scope: { ...scope }, requestId } },
      abortSignal: signal,
      onChunk: ({ chunk }) => {
        if (chunk.type === 'text-delta' && timeToFirstTokenMs === undefined)
          timeToFirstTokenMs = Date.now() - startedAt;
      },
      onFinish: ({ totalUsage }) =>
        end({
          ok: true,
          passages,
          timeToFirstTokenMs,
          inputTokens: totalUsage.inputTokens,
          outputTokens: totalUsage.outputTokens,
        }),
      onError: () => end({ ok: false, passages, timeToFirstTokenMs }),
      onAbort: () => end({ ok: false, passages, timeToFirstTokenMs }),
    });

    const stream = createUIMessageStream<ChatMessage>({
      execute({ writer }) {
        writer.write({
          type: 'start',
          messageMetadata: {
            requestId,
            model: `${model.provider}/${model.model}`,
            promptTokens: assembled.tokens.total,
            maxTokens: assembled.tokens.maxTokens,
            contextItems: assembled.included.filter((element) => element.section === 'context').length,
            passages,
            memoryMessages: recalled.messages.length,
          },
        });
        for (const citation of assembled.citations) {
          const neptune: CitationMetadata = {
            marker: citation.marker,
            documentId: citation.documentId ?? citation.passageId,
            passageId: citation.passageId,
          };
          writer.write({
            type: 'source-document',
            sourceId: `cite-${citation.marker}`,
            mediaType: 'text/plain',
            title: citation.title ?? neptune.documentId,
            filename: neptune.documentId,
            providerMetadata: { neptune: { ...neptune } },
          });
        }
        writer.merge(
          result.toUIMessageStream({
            sendStart: false,
            messageMetadata: ({ part }) =>
              part.type === 'finish' ? { durationMs: Date.now() - startedAt } : undefined,
          }),
        );
      },
      onError: (error) => {
        console.error('chat stream failed', error);
        return 'The answer could not be completed. Try again.';
      },
    });

    // After the response: store the turn (facts, summary) and deliver the metrics.
    after(async () => {
      try {
        const answer = await result.text;
        await memory.remember(scope, body.conversationId, { user: body.message, assistant: answer });
      } catch (error) {
        // A request the user cancelled has no answer to remember.
        if (!signal.aborted) console.error('remembering the turn failed', error);
      }
      await observability.flush();
    });
    return createUIMessageStreamResponse({ stream });
  } catch (error) {
    end({ ok: false });
    console.error('chat request failed', error);
    return Response.json(
      { error: 'internal', message: 'The assistant could not answer. Try again.' },
      { status: 500 },
    );
  }
}
