import { NeptuneError, type TelemetryChannel, withTimeout } from '@neptune/core';

/** A part of the answer the assistant left out or answered without. */
export type AssistantPart = 'context' | 'knowledge' | 'memory' | 'rewrite' | 'model' | 'quota';

/** What was left out and why. Safe to send to the client: no dependency messages, no user data. */
export interface Degradation {
  readonly part: AssistantPart;
  /** `timeout` (slower than its budget), `unavailable` (a store or model failed), `partial` (some of it). */
  readonly code: 'timeout' | 'unavailable' | 'partial';
  /** The sub-parts affected, when only some were: context kinds (`tickets`), retrieval legs (`vector`). */
  readonly affected?: readonly string[] | undefined;
}

/** A degradation with its cause, for the server side (`prepare()` and telemetry); never sent to the client. */
export interface DegradationReport extends Degradation {
  /** The error's name and message, or the part's own report (`vector: TimeoutError ...`). */
  readonly reason: string;
}

export function describeError(error: unknown): string {
  if (NeptuneError.isInstance(error)) return `${error.name}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The degradations' labels for telemetry: `memory`, `knowledge.vector`, `context.tickets`. */
export function degradationLabels(degraded: readonly Degradation[]): string[] {
  return degraded.flatMap((entry) =>
    entry.affected && entry.affected.length > 0
      ? entry.affected.map((name) => `${entry.part}.${name}`)
      : [entry.part],
  );
}

/** What a client sees of a report: the part, the code and the affected names, no reason. */
export function publicDegradation({ part, code, affected }: DegradationReport): Degradation {
  return affected === undefined ? { part, code } : { part, code, affected };
}

export interface GuardContext {
  readonly signal: AbortSignal | undefined;
  readonly telemetry: TelemetryChannel;
  readonly degraded: DegradationReport[];
  readonly scope: { readonly workspaceId: string; readonly userId?: string | undefined };
  readonly requestId: string;
}

/**
 * Runs one part of the request under its own deadline and error boundary. A part that throws or is too
 * slow resolves `undefined`, is recorded in `degraded` and reported as an `error` event; only the
 * caller's own abort propagates. The part's work gets a signal that fires on the deadline, so a slow
 * store call is cancelled rather than left running.
 */
export async function guarded<T>(
  part: AssistantPart,
  timeoutMs: number,
  context: GuardContext,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T | undefined> {
  try {
    return await withTimeout(task, { timeoutMs, signal: context.signal, what: `The assistant's ${part}` });
  } catch (error) {
    if (context.signal?.aborted) throw error;
    const timedOut = NeptuneError.isInstance(error) && error.code === 'timeout';
    context.degraded.push({ part, code: timedOut ? 'timeout' : 'unavailable', reason: describeError(error) });
    if (context.telemetry.active) {
      context.telemetry.emit({
        type: 'error',
        timestamp: Date.now(),
        scope: context.scope,
        requestId: context.requestId,
        source: 'assistant',
        code: NeptuneError.isInstance(error) ? error.code : 'unknown',
        message: `${part} left out of the answer: ${timedOut ? 'timed out' : 'failed'}`,
        retryable: true,
      });
    }
    return undefined;
  }
}
