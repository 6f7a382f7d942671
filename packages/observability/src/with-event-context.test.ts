import { createTelemetryChannel, type NeptuneEvent } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import { withEventContext } from './with-event-context';

describe('withEventContext', () => {
  it("stamps the request's scope and id on events that lack them, and keeps the ones they carry", () => {
    const parent = createTelemetryChannel();
    const received: NeptuneEvent[] = [];
    parent.subscribe((event) => received.push(event));
    const channel = withEventContext(parent, { scope: { workspaceId: 'acme' }, requestId: 'r1' });
    const call = {
      timestamp: 1,
      provider: 'openai',
      model: 'gpt-4o',
      operation: 'chat',
      inputTokens: 1,
      outputTokens: 1,
      durationMs: 1,
    } as const;
    channel.emit({ type: 'model-call', ...call });
    channel.emit({ type: 'model-call', ...call, scope: { workspaceId: 'globex' }, requestId: 'r2' });
    expect(received.map((event) => [event.scope?.workspaceId, event.requestId])).toEqual([
      ['acme', 'r1'],
      ['globex', 'r2'],
    ]);
  });

  it('is inactive, and builds nothing, while the parent has no listener', () => {
    const parent = createTelemetryChannel();
    const channel = withEventContext(parent, { requestId: 'r1' });
    expect(channel.active).toBe(false);
    const stop = channel.subscribe(() => {});
    expect(channel.active).toBe(true);
    stop();
    expect(parent.active).toBe(false);
  });
});
