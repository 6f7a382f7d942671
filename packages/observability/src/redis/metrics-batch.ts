import type { BucketEntry } from '../metrics/bucketed-aggregates';
import type { RecordedError } from '../metrics/metrics-store';
import { aggregateToFieldIncrements } from './aggregate-fields';

/** One flush's figures, written at most once whatever the number of attempts. */
export interface MetricsBatch {
  /** Random, so that a resent batch is recognised and a new one never is. */
  readonly id: string;
  readonly entries: readonly BucketEntry[];
  readonly errors: readonly RecordedError[];
}

/** Where a batch's figures go: a bucket's hash key and when it expires, and an errors list's key. */
export interface BatchLayout {
  bucketKey(entry: BucketEntry): string;
  expiresAtMs(entry: BucketEntry): number;
  errorKeys(error: RecordedError): readonly string[];
  readonly markerKey: (id: string) => string;
  readonly maxRecentErrors: number;
  readonly errorRetentionMs: number;
}

/** How long a batch's marker stays, so a batch resent within this window is not counted twice. */
export const BATCH_MARKER_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Applies a batch only if its marker was not set yet, in one atomic script: a batch whose reply was lost
 * (the connection dropped after Redis ran it) and that is sent again adds nothing the second time. Every
 * key is passed in KEYS. ARGV is the marker's TTL, then one record per operation: `i` HINCRBY,
 * `f` HINCRBYFLOAT (key index, field, amount), `x` PEXPIREAT (key index, epoch ms), `l` LPUSH + LTRIM +
 * PEXPIRE (key index, text, last index kept, TTL ms).
 */
export const APPLY_BATCH_SCRIPT = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local position = 2
while position <= #ARGV do
  local operation = ARGV[position]
  local key = KEYS[tonumber(ARGV[position + 1])]
  if operation == 'i' then
    redis.call('HINCRBY', key, ARGV[position + 2], ARGV[position + 3])
    position = position + 4
  elseif operation == 'f' then
    redis.call('HINCRBYFLOAT', key, ARGV[position + 2], ARGV[position + 3])
    position = position + 4
  elseif operation == 'x' then
    redis.call('PEXPIREAT', key, ARGV[position + 2])
    position = position + 3
  else
    redis.call('LPUSH', key, ARGV[position + 2])
    redis.call('LTRIM', key, 0, ARGV[position + 3])
    redis.call('PEXPIRE', key, ARGV[position + 4])
    position = position + 5
  end
end
return 1
`;

/** The KEYS and ARGV of `APPLY_BATCH_SCRIPT` for a batch. */
export function batchScriptArguments(
  batch: MetricsBatch,
  layout: BatchLayout,
): { keys: string[]; argv: string[] } {
  const keys = [layout.markerKey(batch.id)];
  const argv = [String(BATCH_MARKER_TTL_MS)];
  const keyIndex = (key: string): string => {
    keys.push(key);
    return String(keys.length); // Lua arrays start at 1
  };
  for (const entry of batch.entries) {
    const key = keyIndex(layout.bucketKey(entry));
    const { integers, floats } = aggregateToFieldIncrements(entry.aggregate);
    for (const [field, by] of integers) argv.push('i', key, field, String(by));
    for (const [field, by] of floats) argv.push('f', key, field, String(by));
    // Retention counts from the bucket's end, so a late write does not keep an old bucket alive.
    argv.push('x', key, String(layout.expiresAtMs(entry)));
  }
  for (const error of batch.errors) {
    const text = JSON.stringify(error);
    for (const errorKey of layout.errorKeys(error)) {
      argv.push(
        'l',
        keyIndex(errorKey),
        text,
        String(layout.maxRecentErrors - 1),
        String(layout.errorRetentionMs),
      );
    }
  }
  return { keys, argv };
}
