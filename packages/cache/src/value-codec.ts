import { checkArgument, SerializationError } from '@neptune/core';

/**
 * An encoded value: JSON text and a format letter. `j` is plain JSON, `d` JSON with tagged Dates (parsed
 * with `reviveDates`), `u` the value undefined (json `null`). Plain JSON, the common case, is parsed
 * without a reviver.
 */
export interface EncodedValue {
  readonly format: 'j' | 'd' | 'u';
  readonly json: string;
}

/** Turns cached values into JSON and back. Dates survive; what JSON would silently change is refused. */
export interface ValueCodec {
  /** Throws `SerializationError` naming where the value went wrong. */
  encode(value: unknown): EncodedValue;
  decode(encoded: EncodedValue): unknown;
}

/** Marks a Date inside JSON. A NUL-led key cannot collide with ordinary data (and this one is refused). */
const DATE_KEY = '\u0000date';
const UNDEFINED: EncodedValue = Object.freeze({ format: 'u', json: 'null' });

/** The `JSON.parse` reviver for format `d`: turns tagged epoch milliseconds back into Dates. */
export function reviveDates(_key: string, value: unknown): unknown {
  return typeof value === 'object' && value !== null && DATE_KEY in value
    ? new Date((value as Record<string, number>)[DATE_KEY] as number)
    : value;
}

function kindOf(value: unknown): string {
  if (value instanceof Map) return 'a Map';
  if (value instanceof Set) return 'a Set';
  if (typeof value === 'object' && value !== null)
    return `an instance of ${value.constructor?.name ?? 'a class'}`;
  return typeof value === 'bigint' ? 'a bigint' : `a ${typeof value}`;
}

function refuse(path: string, reason: string, cause?: unknown): never {
  throw new SerializationError({
    message: `Cannot cache this value: ${path} ${reason}`,
    cause,
    details: { path },
  });
}

/** Walks a value JSON.stringify refused or would change, to say where and why. */
function explain(value: unknown, path: string, seen: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      refuse(path, `is ${value}, which JSON turns into null. Store it as a string or null.`);
    return;
  }
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    refuse(
      path,
      `is ${kindOf(value)}. Cache plain data (objects, arrays, strings, numbers, booleans, null, Dates).`,
    );
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) refuse(path, 'is an invalid Date.');
    return;
  }
  if (typeof value !== 'object') return;
  if (seen.has(value)) refuse(path, 'refers back to itself (a cycle). Cache a tree of plain data.');
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return;
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) {
    refuse(
      path,
      `is ${kindOf(value)}, which JSON would not keep. Convert it to a plain object or array first.`,
    );
  }
  seen.add(value);
  for (const [key, child] of Object.entries(value)) {
    if (key === DATE_KEY)
      refuse(`${path}.${JSON.stringify(key)}`, 'is a key reserved by the codec to mark Dates.');
    explain(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, seen);
  }
  seen.delete(value);
}

/** How values are encoded for a store: the size limit. */
export interface ValueCodecOptions {
  /** Largest encoded value accepted, in bytes of UTF-8. */
  readonly maxBytes: number;
}

/**
 * JSON with Dates kept (as tagged epoch milliseconds). Refuses functions, symbols, bigints, non-finite
 * numbers, cycles, Maps, Sets and class instances without `toJSON` (which JSON would drop or mangle),
 * and values over `maxBytes`, each with a `SerializationError` that names the path.
 */
export function createValueCodec(options: ValueCodecOptions): ValueCodec {
  checkArgument(
    Number.isInteger((options as ValueCodecOptions | null | undefined)?.maxBytes) && options.maxBytes > 0,
    'createValueCodec(options)',
    '{ maxBytes } with a positive integer of bytes',
    options,
  );
  const { maxBytes } = options;
  return {
    encode(value) {
      if (value === undefined) return UNDEFINED;
      let hasDates = false;
      let suspicious = false;
      let text: string | undefined;
      try {
        text = JSON.stringify(value, function replace(this: Record<string, unknown>, key, current: unknown) {
          const original = this[key];
          if (original instanceof Date) {
            hasDates = true;
            const time = original.getTime();
            if (Number.isNaN(time)) suspicious = true;
            return { [DATE_KEY]: time };
          }
          const type = typeof current;
          if (type === 'object' && current !== null) {
            const prototype = Object.getPrototypeOf(current);
            if (prototype !== Object.prototype && prototype !== null && !Array.isArray(current))
              suspicious = true;
            else if (!Array.isArray(current) && DATE_KEY in (current as object)) suspicious = true;
          } else if (type === 'function' || type === 'symbol' || type === 'bigint') suspicious = true;
          else if (type === 'number' && !Number.isFinite(current as number)) suspicious = true;
          return current;
        });
      } catch (error) {
        if (SerializationError.isInstance(error)) throw error;
        // Too deep for the stack: walking it again to explain would overflow too.
        if (error instanceof RangeError)
          refuse('value', 'is nested too deeply to encode as JSON. Cache a flatter value.', error);
        explain(value, 'value', new Set());
        refuse('value', 'could not be encoded as JSON.', error);
      }
      if (suspicious || text === undefined) {
        explain(value, 'value', new Set());
        if (text === undefined) refuse('value', 'encodes to nothing.');
      }
      const json = text as string;
      // Cheap bound first: a UTF-16 unit is at most 3 bytes of UTF-8.
      if (json.length * 3 > maxBytes) {
        const bytes = new TextEncoder().encode(json).length;
        if (bytes > maxBytes) {
          throw new SerializationError({
            message: `Cannot cache this value: it is ${bytes} bytes encoded, over the limit of ${maxBytes} (maxValueBytes). Cache less (an id list, a summary) or raise maxValueBytes.`,
            details: { bytes, maxBytes },
          });
        }
      }
      return { format: hasDates ? 'd' : 'j', json };
    },

    decode({ format, json }) {
      if (format === 'u') return undefined;
      return format === 'd' ? JSON.parse(json, reviveDates) : JSON.parse(json);
    },
  };
}
