import {
  createTelemetryChannel,
  defaultTelemetry,
  type NeptuneEvent,
  type NeptuneEventOf,
  noopTelemetry,
  type TelemetryChannel,
} from '@neptune/core';
import { type Cell, defineBenchmark } from '../lib/benchmark';
import { type Measurement, measure } from '../lib/measure';

// Calls per sample: emit costs nanoseconds, far below what one hrtime reading can resolve.
const BATCH_SIZE = 100_000;
const SAMPLES = 60;

const event: NeptuneEventOf<'cache-hit'> = {
  type: 'cache-hit',
  timestamp: Date.now(),
  kind: 'crm',
  durationMs: 0.4,
  tier: 'memory',
};

/** A payload built at the call site, as packages do: the cost a guard on `channel.active` avoids. */
function buildEvent(iteration: number): NeptuneEvent {
  return { type: 'cache-hit', timestamp: iteration, kind: 'crm', durationMs: 0.4, tier: 'memory' };
}

function emptyFunction(_event: NeptuneEvent): void {}

function channelWithListeners(
  count: number,
  typed = false,
): { channel: TelemetryChannel; received: () => number } {
  const channel = createTelemetryChannel();
  let received = 0;
  for (let index = 0; index < count; index++) {
    const listener = (delivered: NeptuneEvent) => {
      received += delivered.timestamp > 0 ? 1 : 0;
    };
    if (typed) channel.on('cache-hit', listener);
    else channel.subscribe(listener);
  }
  return { channel, received: () => received };
}

function row(label: string, result: Measurement, baseline: Measurement | undefined): Record<string, Cell> {
  return {
    case: label,
    'median (ns/op)': result.medianNs,
    'p95 (ns/op)': result.p95Ns,
    'over baseline (ns/op)': baseline === undefined ? 0 : result.medianNs - baseline.medianNs,
    'ops/s (millions)': result.opsPerSecond / 1e6,
  };
}

export default defineBenchmark({
  name: 'telemetry',
  description:
    'Cost of emitting a telemetry event with no, one and five subscribers, against an empty function call',
  async run(context) {
    const failures: string[] = [];
    if (defaultTelemetry().active)
      failures.push('the default channel has subscribers: the no-subscriber figures are void');
    const options = { batchSize: BATCH_SIZE, iterations: SAMPLES, warmupIterations: 10 };
    const idle = createTelemetryChannel();
    const one = channelWithListeners(1);
    const five = channelWithListeners(5);
    const typed = channelWithListeners(1, true);

    // No-subscriber cases first: once listeners run, the JIT's view of `emit` is no longer the idle one.
    const cases: Array<[string, (iteration: number) => unknown]> = [
      ['baseline: empty function call', () => emptyFunction(event)],
      ['noopTelemetry.emit(event)', () => noopTelemetry.emit(event)],
      ['defaultTelemetry().emit(event), no subscriber', () => defaultTelemetry().emit(event)],
      ['channel.emit(event), no subscriber', () => idle.emit(event)],
      ['channel.emit(build event), no subscriber', (iteration) => idle.emit(buildEvent(iteration))],
      [
        'if (channel.active) emit(build event), no subscriber',
        (iteration) => {
          if (idle.active) idle.emit(buildEvent(iteration));
        },
      ],
      ['channel.emit(event), 1 subscriber', () => one.channel.emit(event)],
      ['channel.emit(event), 1 subscriber to cache-hit only', () => typed.channel.emit(event)],
      ['channel.emit(event), 5 subscribers', () => five.channel.emit(event)],
    ];

    const rows: Record<string, Cell>[] = [];
    let baseline: Measurement | undefined;
    for (const [label, operation] of cases) {
      context.log(label);
      const result = await measure(operation, options);
      baseline ??= result;
      rows.push(row(label, result, baseline));
    }
    if (one.received() === 0 || five.received() === 0 || typed.received() === 0) {
      failures.push('a subscriber received no event: the subscribed figures measured nothing');
    }

    return {
      tables: [
        {
          title: `Telemetry emit cost (${SAMPLES} samples of ${BATCH_SIZE.toLocaleString('en-US')} calls)`,
          rows,
          notes: [
            'ns/op = sample time ÷ calls per sample; the baseline is the loop and call overhead every case also pays.',
            'Subscribers are trivial listeners; real ones (OpenTelemetry, metrics) add their own cost on top.',
          ],
        },
      ],
      failures,
    };
  },
});
