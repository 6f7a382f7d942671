import type { ChatModel, Embedder, TelemetryChannel, Tokenizer } from '@neptune/core';
import { z } from 'zod';
import type { Analyzer } from '../analysis/analyzer';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Option schemas for the dependencies strategies take, checked by shape so any implementation passes. */
export const chatModelSchema = z.custom<ChatModel>(
  (value) => isObject(value) && typeof value.generateObject === 'function',
  'must be a ChatModel (an object with a generateObject method), such as openaiChatModel() from @neptune/core/openai',
);

export const embedderSchema = z.custom<Embedder>(
  (value) => isObject(value) && typeof value.embed === 'function',
  'must be an Embedder (an object with an embed method)',
);

export const analyzerSchema = z.custom<Analyzer>(
  (value) => typeof value === 'function',
  'must be an analyzer function (text) => string[], such as englishAnalyzer',
);

/** Only counting and cutting are needed, so a full `Tokenizer` or a lighter estimate both fit. */
export type TokenCounter = Pick<Tokenizer, 'count' | 'truncate'>;

export const tokenCounterSchema = z.custom<TokenCounter>(
  (value) => isObject(value) && typeof value.count === 'function' && typeof value.truncate === 'function',
  'must be a Tokenizer (with count and truncate), such as await tokenizerForModel(model) from @neptune/core/tokenizer',
);

export const telemetrySchema = z.custom<TelemetryChannel>(
  (value) => isObject(value) && typeof value.emit === 'function',
  'must be a TelemetryChannel, such as createTelemetryChannel() from @neptune/core',
);

export const abortSignalSchema = z.custom<AbortSignal>(
  (value) => value instanceof AbortSignal,
  'must be an AbortSignal',
);
