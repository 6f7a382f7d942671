import type { Tokenizer } from '@neptune/core';
import type { ExampleApp } from '@neptune/examples-context-sources';
import { chatTokens } from './chat-tokens';
import { naiveFetch, naiveMessages } from './naive-baseline';
import type { BenchRequest } from './request-mix';
import { requestPassages } from './request-passages';

export interface NaiveSample {
  readonly fetchMs: number;
  readonly queries: number;
  readonly promptTokens: number;
}

/** Runs the baseline for each request, one at a time: fetch time, queries, and the prompt it builds. */
export async function runNaive(
  app: ExampleApp,
  requests: readonly BenchRequest[],
  tokenizer: Tokenizer,
  countQueries: () => number,
): Promise<NaiveSample[]> {
  const samples: NaiveSample[] = [];
  for (const request of requests) {
    const queriesBefore = countQueries();
    const startedAt = performance.now();
    const context = await naiveFetch(app.pool, app.instrumentQuery, request.user);
    const fetchMs = performance.now() - startedAt;
    const messages = naiveMessages(context, request.query.text, requestPassages(request));
    samples.push({
      fetchMs,
      queries: countQueries() - queriesBefore,
      promptTokens: chatTokens(messages, tokenizer),
    });
  }
  return samples;
}
