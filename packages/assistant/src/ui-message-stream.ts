import type { AssembledCitation } from '@neptune/context';
import type { Degradation } from './degradation';

/** What the answer's first chunk tells the client, besides the citations. */
export interface AnswerStartMetadata {
  readonly requestId: string;
  /** `provider/model` of the model asked. */
  readonly model: string;
  /** Input tokens of the assembled prompt, and the budget it was held to. */
  readonly promptTokens: number;
  readonly maxTokens: number;
  readonly contextItems: number;
  readonly passages: number;
  readonly memoryMessages: number;
  /** Parts left out (no reasons: those stay on the server, in telemetry). */
  readonly degraded: readonly Degradation[];
}

/** What the last chunk adds. */
export interface AnswerFinishMetadata {
  readonly durationMs: number;
  readonly timeToFirstTokenMs?: number | undefined;
  readonly outputTokens?: number | undefined;
  /** The `[n]` markers the answer cited. */
  readonly cited: readonly number[];
  /** Every part left out, the model's fallback included. */
  readonly degraded: readonly Degradation[];
}

/** The metadata of an answer message on the client (`useChat<UIMessage<AnswerMetadata>>`): both merged. */
export type AnswerMetadata = Partial<AnswerStartMetadata & AnswerFinishMetadata>;

/** A citation as it travels in a `source-document` chunk's `providerMetadata.neptune`. */
export interface CitationMetadata {
  readonly marker: number;
  readonly documentId: string;
  readonly passageId: string;
  readonly source?: string;
  readonly start?: number;
  readonly end?: number;
}

/**
 * The chunks of the Vercel AI SDK's UI message stream protocol (v1) that an answer uses: what `useChat`
 * reads, written here so no AI SDK is needed on the server.
 */
export type AnswerChunk =
  | { type: 'start'; messageId: string; messageMetadata: AnswerStartMetadata }
  | {
      type: 'source-document';
      sourceId: string;
      mediaType: 'text/plain';
      title: string;
      filename: string;
      providerMetadata: { neptune: CitationMetadata & Record<string, string | number> };
    }
  | { type: 'start-step' }
  | { type: 'text-start'; id: string }
  | { type: 'text-delta'; id: string; delta: string }
  | { type: 'text-end'; id: string }
  | { type: 'finish-step' }
  | {
      type: 'finish';
      finishReason: 'stop' | 'length' | 'content-filter' | 'error' | 'other';
      messageMetadata: AnswerFinishMetadata;
    }
  | { type: 'abort' };

/** A `source-document` chunk for a kept passage: its marker, document and offsets in `providerMetadata`. */
export function citationChunk(citation: AssembledCitation): AnswerChunk {
  const documentId = citation.documentId ?? citation.passageId;
  const neptune: Record<string, string | number> = {
    marker: citation.marker,
    documentId,
    passageId: citation.passageId,
  };
  if (citation.source !== undefined) neptune.source = citation.source;
  if (citation.start !== undefined) neptune.start = citation.start;
  if (citation.end !== undefined) neptune.end = citation.end;
  return {
    type: 'source-document',
    sourceId: `cite-${citation.marker}`,
    mediaType: 'text/plain',
    title: citation.title ?? documentId,
    filename: documentId,
    providerMetadata: { neptune: neptune as CitationMetadata & Record<string, string | number> },
  };
}

/** The headers `useChat` expects of a UI message stream response. */
export const UI_MESSAGE_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-vercel-ai-ui-message-stream': 'v1',
  'x-accel-buffering': 'no',
};

/** Server-sent events: one `data:` line of JSON per chunk, then `data: [DONE]`. */
export function toServerSentEvents(chunks: ReadableStream<AnswerChunk>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return chunks
    .pipeThrough(
      new TransformStream<AnswerChunk, string>({
        transform(chunk, controller) {
          controller.enqueue(`data: ${JSON.stringify(chunk)}\n\n`);
        },
        flush(controller) {
          controller.enqueue('data: [DONE]\n\n');
        },
      }),
    )
    .pipeThrough(
      new TransformStream<string, Uint8Array>({
        transform(text, controller) {
          controller.enqueue(encoder.encode(text));
        },
      }),
    );
}

export function mergeHeaders(base: Readonly<Record<string, string>>, init?: ResponseInit): Headers {
  const headers = new Headers(init?.headers);
  for (const [name, value] of Object.entries(base)) if (!headers.has(name)) headers.set(name, value);
  return headers;
}
