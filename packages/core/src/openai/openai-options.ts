import type OpenAI from 'openai';
import { z } from 'zod';
import type { TelemetryChannel } from '../telemetry/telemetry-channel';

function isOpenAIClient(value: unknown): value is OpenAI {
  const candidate = value as {
    chat?: { completions?: { create?: unknown } };
    embeddings?: { create?: unknown };
  };
  return (
    typeof candidate?.chat?.completions?.create === 'function' &&
    typeof candidate.embeddings?.create === 'function'
  );
}

function isTelemetryChannel(value: unknown): value is TelemetryChannel {
  const candidate = value as Partial<TelemetryChannel> | undefined;
  return typeof candidate?.emit === 'function' && typeof candidate.active === 'boolean';
}

/** Counts, limits and durations that must be whole and above zero. */
export const positiveInteger = z.number().int().positive();

/**
 * The options both OpenAI factories share: how to reach the API, and how hard to try.
 * `maxRetries`, `retryBaseDelayMs` and `maxRetryDelayMs` govern our own retries (the client's are turned off).
 */
export const openaiConnectionOptionsShape = {
  /** Defaults to the OPENAI_API_KEY environment variable. */
  apiKey: z.string().optional(),
  /** Any OpenAI-compatible endpoint, including `/v1`. Defaults to OPENAI_BASE_URL, then OpenAI's API. */
  baseURL: z.string().optional(),
  /** The OpenAI organization id sent with each request (the `OpenAI` client's `organization`). */
  organization: z.string().optional(),
  /** An existing `OpenAI` client, used instead of building one; exposed as `.client`. */
  client: z.custom<OpenAI>(isOpenAIClient, 'expected an OpenAI client (new OpenAI({ ... }))').optional(),
  /** A custom fetch for the client built from these options. */
  fetch: z
    .custom<typeof globalThis.fetch>((value) => typeof value === 'function', 'expected a fetch function')
    .optional(),
  /** Retries after the first attempt, on 429, 5xx, timeouts and connection errors. Default 3. */
  maxRetries: z.number().int().min(0).max(10).default(3),
  /** The backoff ceiling for the first retry, in ms, doubling per retry; the actual wait is jittered below it. Default 500. */
  retryBaseDelayMs: z.number().int().min(0).default(500),
  /** No wait between attempts exceeds this, in ms; a `Retry-After` longer than it ends the retries at once. Default 20,000. */
  maxRetryDelayMs: z.number().int().min(0).default(20_000),
  /** Where telemetry events go. Defaults to `defaultTelemetry()`. */
  telemetry: z.custom<TelemetryChannel>(isTelemetryChannel, 'expected a TelemetryChannel').optional(),
};
