import { MetricsAggregate } from '../metrics/metrics-aggregate';

/**
 * How an aggregate is laid out in a Redis hash, so that instances add into it with HINCRBY and never
 * read-modify-write:
 * - `c:{counter}` an integer counter (the name may contain anything, a model id with `:` included);
 * - `h:{histogram}:{bucket index}` a bucket count, `h:{histogram}:n` the count, `h:{histogram}:z` the
 *   count of zero values, `h:{histogram}:s` the running sum (HINCRBYFLOAT).
 */
export interface FieldIncrements {
  readonly integers: Array<[field: string, by: number]>;
  readonly floats: Array<[field: string, by: number]>;
}

export function aggregateToFieldIncrements(aggregate: MetricsAggregate): FieldIncrements {
  const integers: Array<[string, number]> = [];
  const floats: Array<[string, number]> = [];
  for (const [name, value] of aggregate.counters) integers.push([`c:${name}`, value]);
  for (const [name, histogram] of aggregate.histograms) {
    integers.push([`h:${name}:n`, histogram.count]);
    if (histogram.zeroCount > 0) integers.push([`h:${name}:z`, histogram.zeroCount]);
    if (histogram.sum !== 0) floats.push([`h:${name}:s`, histogram.sum]);
    for (const [index, count] of histogram.buckets()) integers.push([`h:${name}:${index}`, count]);
  }
  return { integers, floats };
}

/** Rebuilds an aggregate from HGETALL's answer. Unknown fields are ignored (a newer writer's additions). */
export function aggregateFromFields(fields: Readonly<Record<string, string>>): MetricsAggregate {
  const aggregate = new MetricsAggregate();
  for (const [field, text] of Object.entries(fields)) {
    const value = Number(text);
    if (!Number.isFinite(value)) continue;
    if (field.startsWith('c:')) {
      aggregate.increment(field.slice(2), value);
      continue;
    }
    if (!field.startsWith('h:')) continue;
    const separator = field.lastIndexOf(':');
    if (separator <= 2) continue;
    const histogram = aggregate.histogramFor(field.slice(2, separator));
    const suffix = field.slice(separator + 1);
    if (suffix === 'n') histogram.count += value;
    else if (suffix === 's') histogram.sum += value;
    else if (suffix === 'z') histogram.zeroCount += value;
    else if (/^-?\d+$/.test(suffix)) histogram.addToBucket(Number(suffix), value);
  }
  return aggregate;
}
