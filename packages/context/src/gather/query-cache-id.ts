/**
 * The cache id for a query-dependent source: `q-` and a 64-bit hash of the normalized query (lower case,
 * whitespace collapsed), so "Acme  deal" and "acme deal" share an entry and no query text reaches a key.
 */
export function queryCacheId(query: string): string {
  const normalized = query.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return `q-${hash64(normalized)}`;
}

// Two independent 32-bit lanes (cyrb53's mixing, kept at 64 bits): a collision between two queries of
// one scope is vanishingly unlikely, and it runs on every runtime without crypto.
function hash64(text: string): string {
  let first = 0xdeadbeef;
  let second = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 2654435761);
    second = Math.imul(second ^ code, 1597334677);
  }
  first = Math.imul(first ^ (first >>> 16), 2246822507) ^ Math.imul(second ^ (second >>> 13), 3266489909);
  second = Math.imul(second ^ (second >>> 16), 2246822507) ^ Math.imul(first ^ (first >>> 13), 3266489909);
  return (first >>> 0).toString(16).padStart(8, '0') + (second >>> 0).toString(16).padStart(8, '0');
}
