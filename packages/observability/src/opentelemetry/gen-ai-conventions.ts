/**
 * Names from the OpenTelemetry semantic conventions for generative AI (gen-ai-spans.md and
 * gen-ai-metrics.md, status Development), and the bucket boundaries the spec asks histograms to use.
 */
export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  /** Part of `gen_ai.usage.input_tokens` (which includes cached tokens), as in the attribute registry. */
  cacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  finishReasons: 'gen_ai.response.finish_reasons',
  tokenType: 'gen_ai.token.type',
  errorType: 'error.type',
} as const;

/** The OpenTelemetry GenAI semantic-convention metric names the sink records model calls under. */
export const GEN_AI_METRIC = {
  operationDuration: 'gen_ai.client.operation.duration',
  tokenUsage: 'gen_ai.client.token.usage',
} as const;

/** `gen_ai.client.operation.duration`, seconds. */
export const GEN_AI_DURATION_BUCKETS_SECONDS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/** `gen_ai.client.token.usage`, tokens. */
export const GEN_AI_TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

/** Database client durations (`db.client.operation.duration`'s boundaries), seconds. */
export const DATABASE_DURATION_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
