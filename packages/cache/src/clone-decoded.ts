/**
 * Copies a value as `JSON.parse` (with the Date reviver) produced it: plain objects, arrays, primitives
 * and Dates. Many times faster than parsing the text again, which is what makes handing every caller a
 * private copy affordable on a hit.
 */
export function cloneDecoded<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const length = value.length;
    const copy = new Array(length);
    for (let index = 0; index < length; index++) {
      const item = value[index];
      copy[index] = typeof item === 'object' && item !== null ? cloneDecoded(item) : item;
    }
    return copy as T;
  }
  if (value instanceof Date) return new Date(value.getTime()) as T;
  // Spread copies own properties as data properties, so a "__proto__" key (JSON.parse makes it an own
  // property) stays a plain key rather than setting the prototype.
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in copy) {
    const child = copy[key];
    if (typeof child === 'object' && child !== null) copy[key] = cloneDecoded(child);
  }
  return copy as T;
}
