import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import {
  DATABASE_DURATION_BUCKETS_SECONDS,
  GEN_AI_DURATION_BUCKETS_SECONDS,
  GEN_AI_METRIC,
  GEN_AI_TOKEN_BUCKETS,
} from './gen-ai-conventions';

export interface OpenTelemetryInstruments {
  readonly operationDuration: Histogram;
  readonly tokenUsage: Histogram;
  readonly requestDuration: Histogram;
  readonly retrievalDuration: Histogram;
  readonly databaseDuration: Histogram;
  readonly cacheLookups: Counter;
  readonly errors: Counter;
}

/** The GenAI metrics with the spec's boundaries (as advice, so an app's own views still win), and Neptune's. */
export function createInstruments(meter: Meter): OpenTelemetryInstruments {
  const seconds = (name: string, description: string, boundaries: number[]) =>
    meter.createHistogram(name, { unit: 's', description, advice: { explicitBucketBoundaries: boundaries } });
  return {
    operationDuration: seconds(
      GEN_AI_METRIC.operationDuration,
      'GenAI operation duration.',
      GEN_AI_DURATION_BUCKETS_SECONDS,
    ),
    tokenUsage: meter.createHistogram(GEN_AI_METRIC.tokenUsage, {
      unit: '{token}',
      description: 'Number of input and output tokens used.',
      advice: { explicitBucketBoundaries: GEN_AI_TOKEN_BUCKETS },
    }),
    requestDuration: seconds(
      'neptune.request.duration',
      'Assistant request duration.',
      GEN_AI_DURATION_BUCKETS_SECONDS,
    ),
    retrievalDuration: seconds(
      'neptune.retrieval.duration',
      'Retrieval duration.',
      GEN_AI_DURATION_BUCKETS_SECONDS,
    ),
    databaseDuration: seconds(
      'neptune.db.query.duration',
      'Database query duration.',
      DATABASE_DURATION_BUCKETS_SECONDS,
    ),
    cacheLookups: meter.createCounter('neptune.cache.lookups', {
      unit: '{lookup}',
      description: 'Cache lookups by kind and result (hit, miss, stale, error).',
    }),
    errors: meter.createCounter('neptune.errors', {
      unit: '{error}',
      description: 'Errors by source and code.',
    }),
  };
}
