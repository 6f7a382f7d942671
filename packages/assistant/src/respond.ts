import type { AssembledCitation } from '@neptune/context';
import {
  type ChatModel,
  type ChatStreamPart,
  ConfigurationError,
  type FinishReason,
  type TokenUsage,
  withTimeout,
} from '@neptune/core';
import { type Degradation, type DegradationReport, describeError, publicDegradation } from './degradation';
import type { PreparedRequest, TurnOutcome } from './prepare';
import {
  type AnswerChunk,
  citationChunk,
  mergeHeaders,
  toServerSentEvents,
  UI_MESSAGE_STREAM_HEADERS,
} from './ui-message-stream';

/** An answer once complete, before its turn is remembered. */
type AnswerSummary = Omit<AnswerOutcome, 'utilisation' | 'remembered'>;

/** How an answered request ended. */
export interface AnswerOutcome extends TurnOutcome {
  /** False when no answer was produced, or the request was cancelled. */
  readonly ok: boolean;
  readonly text: string;
  readonly finishReason: FinishReason | 'aborted';
  readonly usage: TokenUsage | undefined;
  readonly timeToFirstTokenMs: number | undefined;
  /** Every part left out, the model's own failures included. */
  readonly degraded: readonly Degradation[];
}

/**
 * A streaming answer. Read it once, through one of `toUIMessageStreamResponse()` (the Vercel AI SDK's
 * `useChat` protocol, server-sent events), `toTextStreamResponse()`, `toUIMessageStream()`, `textStream`,
 * or `text`. `finished` resolves after the answer was read and the turn remembered.
 */
export interface AssistantResponse {
  readonly requestId: string;
  readonly prepared: PreparedRequest;
  readonly citations: readonly AssembledCitation[];
  /** Parts left out before the model was asked (no reasons; `prepared.degraded` has them). */
  readonly degraded: readonly Degradation[];
  /** The answer's text, delta by delta: a `ReadableStream` that `for await` also reads. */
  readonly textStream: ReadableStream<string> & AsyncIterable<string>;
  /** The whole answer, once streamed. */
  readonly text: Promise<string>;
  /** The outcome, after the turn was remembered and `flush` ran. Never rejects. */
  readonly finished: Promise<AnswerOutcome>;
  /** The UI message stream chunks: metadata, one `source-document` per citation, then the text. */
  toUIMessageStream(): ReadableStream<AnswerChunk>;
  /** A `Response` that `useChat` (and any server-sent-events reader) reads. */
  toUIMessageStreamResponse(init?: ResponseInit): Response;
  /** A `text/plain` streaming `Response` of the answer alone. */
  toTextStreamResponse(init?: ResponseInit): Response;
}

export interface AnswerSettings {
  readonly model: ChatModel;
  readonly fallbackModel: ChatModel | undefined;
  readonly firstTokenTimeoutMs: number;
  readonly maxOutputTokens: number | undefined;
  readonly temperature: number | undefined;
}

const CUT_SHORT = ' [answer cut short]';

/** The stream, iterable with `for await` on runtimes whose `ReadableStream` is not (some edge runtimes). */
function asyncIterable<T>(stream: ReadableStream<T>): ReadableStream<T> & AsyncIterable<T> {
  const iterable = stream as ReadableStream<T> & Partial<AsyncIterable<T>>;
  if (typeof iterable[Symbol.asyncIterator] !== 'function') {
    iterable[Symbol.asyncIterator] = async function* () {
      const reader = stream.getReader();
      try {
        for (let read = await reader.read(); !read.done; read = await reader.read()) yield read.value;
      } finally {
        reader.releaseLock();
      }
    };
  }
  return iterable as ReadableStream<T> & AsyncIterable<T>;
}
const NO_ANSWER = 'The assistant could not answer right now. Try again in a moment.';

/** Reads the model's stream one text delta at a time, falling back to another model before the first. */
function answerReader(
  prepared: PreparedRequest,
  settings: AnswerSettings,
  requestSignal: AbortSignal | undefined,
) {
  const startedAt = Date.now() - prepared.timings.totalMs;
  const abort = new AbortController();
  const onRequestAbort = () => abort.abort(requestSignal?.reason);
  requestSignal?.addEventListener('abort', onRequestAbort, { once: true });
  const degraded: DegradationReport[] = [];
  let iterator: AsyncIterator<ChatStreamPart> | undefined;
  let text = '';
  let usage: TokenUsage | undefined;
  let finishReason: FinishReason | 'aborted' = 'stop';
  let timeToFirstTokenMs: number | undefined;
  let done = false;
  let settle!: (outcome: AnswerOutcome) => void;
  const finished = new Promise<AnswerOutcome>((resolve) => {
    settle = resolve;
  });
  // The answer is complete before its turn is remembered: the stream ends on this, not on `finished`,
  // so a slow or failing memory store never holds the client's last chunk.
  let answer!: (outcome: AnswerSummary) => void;
  const answered = new Promise<AnswerSummary>((resolve) => {
    answer = resolve;
  });

  const request = (model: ChatModel, signal: AbortSignal) =>
    model.stream({
      messages: prepared.messages,
      maxOutputTokens: settings.maxOutputTokens,
      temperature: settings.temperature,
      signal,
      scope: { workspaceId: prepared.scope.workspaceId, userId: prepared.scope.userId },
      requestId: prepared.requestId,
    });

  /** Opens a model's stream and waits for its first part, within the first-token deadline. */
  async function open(model: ChatModel): Promise<IteratorResult<ChatStreamPart>> {
    // Each attempt has its own signal: the deadline cancels this model's call, not the fallback's.
    const attempt = new AbortController();
    const onAbort = () => attempt.abort(abort.signal.reason);
    if (abort.signal.aborted) onAbort();
    else abort.signal.addEventListener('abort', onAbort, { once: true });
    const opened = request(model, attempt.signal)[Symbol.asyncIterator]();
    iterator = opened;
    return withTimeout(
      (deadline) => {
        deadline.addEventListener('abort', () => attempt.abort(deadline.reason), { once: true });
        return opened.next();
      },
      { timeoutMs: settings.firstTokenTimeoutMs, signal: abort.signal, what: "The model's first token" },
    );
  }

  async function first(): Promise<IteratorResult<ChatStreamPart>> {
    try {
      return await open(settings.model);
    } catch (error) {
      if (requestSignal?.aborted || !settings.fallbackModel) throw error;
      const timedOut = (error as { code?: string }).code === 'timeout';
      degraded.push({
        part: 'model',
        code: timedOut ? 'timeout' : 'unavailable',
        reason: describeError(error),
      });
      return open(settings.fallbackModel);
    }
  }

  function finish(ok: boolean): void {
    if (done) return;
    done = true;
    requestSignal?.removeEventListener('abort', onRequestAbort);
    let ended: Promise<TurnOutcome>;
    if (ok) {
      ended = prepared.remember(text, {
        inputTokens: usage?.inputTokens,
        outputTokens: usage?.outputTokens,
        timeToFirstTokenMs,
        degraded,
      });
    } else {
      prepared.fail({ timeToFirstTokenMs, degraded });
      ended = Promise.resolve({ cited: [], utilisation: undefined, remembered: false });
    }
    const summary: AnswerSummary = {
      ok,
      text,
      cited: ok ? prepared.citedIn(text) : [],
      finishReason: ok ? finishReason : abort.signal.aborted ? 'aborted' : 'error',
      usage,
      timeToFirstTokenMs,
      degraded: [...prepared.degraded, ...degraded].map(publicDegradation),
    };
    answer(summary);
    void ended.then((turn) => settle({ ...summary, ...turn }));
  }

  /** The next text delta, or undefined at the end. Never throws. */
  async function next(): Promise<string | undefined> {
    while (!done) {
      let result: IteratorResult<ChatStreamPart>;
      try {
        result = iterator === undefined ? await first() : await iterator.next();
      } catch (error) {
        if (abort.signal.aborted && (requestSignal?.aborted || text === '')) {
          finishReason = 'aborted';
          finish(false);
          return undefined;
        }
        degraded.push({
          part: 'model',
          code: text === '' ? 'unavailable' : 'partial',
          reason: describeError(error),
        });
        finishReason = 'error';
        const partial = text !== '';
        if (partial) text += CUT_SHORT;
        finish(partial);
        return partial ? CUT_SHORT : undefined;
      }
      if (result.done) {
        finish(true);
        return undefined;
      }
      const part = result.value;
      if (part.type === 'finish') {
        usage = part.usage;
        finishReason = part.finishReason;
      } else if (part.text !== '') {
        timeToFirstTokenMs ??= Date.now() - startedAt;
        text += part.text;
        return part.text;
      }
    }
    return undefined;
  }

  function cancel(reason?: unknown): void {
    if (done) return;
    abort.abort(reason);
    void iterator?.return?.();
    finishReason = 'aborted';
    finish(false);
  }

  return {
    next,
    cancel,
    answered,
    finished,
    get failed() {
      return done && text === '';
    },
    get degraded(): readonly Degradation[] {
      return [...prepared.degraded, ...degraded].map(publicDegradation);
    },
    get timeToFirstTokenMs() {
      return timeToFirstTokenMs;
    },
    get usage() {
      return usage;
    },
    get finishReason() {
      return finishReason;
    },
    get text() {
      return text;
    },
  };
}

export function createResponse(
  prepared: PreparedRequest,
  settings: AnswerSettings,
  signal?: AbortSignal,
): AssistantResponse {
  const reader = answerReader(prepared, settings, signal);
  const startedAt = Date.now() - prepared.timings.totalMs;
  let claimed: string | undefined;
  const claim = (by: string) => {
    if (claimed !== undefined) {
      throw new ConfigurationError({
        message: `The answer was already read through ${claimed}; read an AssistantResponse once (${by} now).`,
      });
    }
    claimed = by;
  };

  const textStream = () =>
    new ReadableStream<string>({
      async pull(controller) {
        const delta = await reader.next();
        if (delta === undefined) controller.close();
        else controller.enqueue(delta);
      },
      cancel: (reason) => reader.cancel(reason),
    });

  const uiMessageStream = (): ReadableStream<AnswerChunk> => {
    const textId = `text-${prepared.requestId}`;
    let stage: 'head' | 'text' | 'done' = 'head';
    return new ReadableStream<AnswerChunk>({
      async pull(controller) {
        if (stage === 'head') {
          stage = 'text';
          const { assembled } = prepared;
          controller.enqueue({
            type: 'start',
            messageId: prepared.requestId,
            messageMetadata: {
              requestId: prepared.requestId,
              model: `${settings.model.provider}/${settings.model.model}`,
              promptTokens: assembled.tokens.total,
              maxTokens: assembled.tokens.maxTokens,
              contextItems: assembled.included.filter((element) => element.section === 'context').length,
              passages: assembled.citations.length,
              memoryMessages: prepared.memory?.messages.length ?? 0,
              degraded: prepared.degraded.map(publicDegradation),
            },
          });
          for (const citation of assembled.citations) controller.enqueue(citationChunk(citation));
          controller.enqueue({ type: 'start-step' });
          controller.enqueue({ type: 'text-start', id: textId });
          return;
        }
        if (stage === 'done') return;
        const delta = await reader.next();
        if (delta !== undefined) {
          controller.enqueue({ type: 'text-delta', id: textId, delta });
          return;
        }
        stage = 'done';
        if (reader.failed) controller.enqueue({ type: 'text-delta', id: textId, delta: NO_ANSWER });
        controller.enqueue({ type: 'text-end', id: textId });
        controller.enqueue({ type: 'finish-step' });
        const outcome = await reader.answered;
        controller.enqueue({
          type: 'finish',
          finishReason: outcome.finishReason === 'aborted' ? 'other' : outcome.finishReason,
          messageMetadata: {
            durationMs: Date.now() - startedAt,
            timeToFirstTokenMs: outcome.timeToFirstTokenMs,
            outputTokens: outcome.usage?.outputTokens,
            cited: outcome.cited,
            degraded: reader.degraded,
          },
        });
        controller.close();
      },
      cancel: (reason) => reader.cancel(reason),
    });
  };

  return {
    requestId: prepared.requestId,
    prepared,
    citations: prepared.citations,
    degraded: prepared.degraded.map(publicDegradation),
    get textStream() {
      claim('textStream');
      return asyncIterable(textStream());
    },
    get text() {
      if (claimed === undefined) {
        claim('text');
        void (async () => {
          while ((await reader.next()) !== undefined);
        })();
      }
      return reader.answered.then((outcome) => outcome.text);
    },
    finished: reader.finished,
    toUIMessageStream() {
      claim('toUIMessageStream()');
      return uiMessageStream();
    },
    toUIMessageStreamResponse(init) {
      claim('toUIMessageStreamResponse()');
      return new Response(toServerSentEvents(uiMessageStream()), {
        status: init?.status ?? 200,
        statusText: init?.statusText,
        headers: mergeHeaders(UI_MESSAGE_STREAM_HEADERS, init),
      });
    },
    toTextStreamResponse(init) {
      claim('toTextStreamResponse()');
      const encoder = new TextEncoder();
      const body = textStream().pipeThrough(
        new TransformStream<string, Uint8Array>({
          transform: (delta, controller) => controller.enqueue(encoder.encode(delta)),
        }),
      );
      return new Response(body, {
        status: init?.status ?? 200,
        statusText: init?.statusText,
        headers: mergeHeaders(
          {
            'content-type': 'text/plain; charset=utf-8',
            'cache-control': 'no-cache',
            'x-request-id': prepared.requestId,
          },
          init,
        ),
      });
    },
  };
}
