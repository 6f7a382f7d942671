/**
 * `incrementWithinLimits` as one Lua script, so Redis runs the check and the increments with nothing in
 * between: KEYS are the counters, ARGV three per counter (by, limit, ttlMs or 0). Replies
 * `{ applied (1 or 0), value... }`. A counter holding text fails with Redis's own "not an integer" error,
 * which the store turns into a `ValidationError`.
 */
export const INCREMENT_WITHIN_LIMITS_SCRIPT = `
local values = {}
local fits = true
for i = 1, #KEYS do
  local raw = redis.call('GET', KEYS[i])
  local value = 0
  if raw then
    value = tonumber(raw)
    if value == nil or string.find(raw, '^-?%d+$') == nil then
      return redis.error_reply('ERR value is not an integer or out of range')
    end
  end
  values[i] = value
  if value + tonumber(ARGV[i * 3 - 2]) > tonumber(ARGV[i * 3 - 1]) then fits = false end
end
if not fits then return { 0, unpack(values) } end
for i = 1, #KEYS do
  local created = redis.call('EXISTS', KEYS[i]) == 0
  values[i] = redis.call('INCRBY', KEYS[i], ARGV[i * 3 - 2])
  local ttl = tonumber(ARGV[i * 3])
  if created and ttl > 0 then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return { 1, unpack(values) }
`;

/** The script's arguments for these counters. */
export function incrementWithinLimitsArguments(
  counters: readonly { by: number; limit: number; ttlMs: number | undefined }[],
): string[] {
  return counters.flatMap((counter) => [
    String(counter.by),
    String(counter.limit),
    String(counter.ttlMs ?? 0),
  ]);
}

/** The script's reply as `{ applied, values }`. */
export function parseIncrementWithinLimitsReply(reply: unknown): { applied: boolean; values: number[] } {
  const [applied, ...values] = (reply as Array<number | string>).map(Number);
  return { applied: applied === 1, values };
}
