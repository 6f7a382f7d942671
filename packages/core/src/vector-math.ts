import { checkArgument } from './validation';

const isVector = (value: unknown): value is ArrayLike<number> =>
  typeof value === 'object' && value !== null && typeof (value as ArrayLike<number>).length === 'number';

function checkPair(a: unknown, b: unknown, what: string): void {
  checkArgument(isVector(a), `${what}: a`, 'an array or typed array of numbers', a);
  checkArgument(isVector(b), `${what}: b`, 'an array or typed array of numbers', b);
  checkArgument(a.length === b.length, `${what}: b`, `as long as a (${a.length})`, `length ${b.length}`);
}

/** Checked after the loop rather than per element: a NaN or Infinity anywhere shows in the result. */
function finiteResult(result: number, what: string): number {
  checkArgument(
    Number.isFinite(result),
    what,
    'given vectors of finite numbers (no NaN or Infinity)',
    result,
  );
  return result;
}

/** Scales a vector to unit length in place and returns it; a zero vector stays zero. */
export function normalizeInPlace(vector: Float32Array): Float32Array {
  checkArgument(vector instanceof Float32Array, 'normalizeInPlace: vector', 'a Float32Array', vector);
  let sum = 0;
  for (let index = 0; index < vector.length; index++) sum += vector[index]! * vector[index]!;
  finiteResult(sum, 'normalizeInPlace: vector');
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let index = 0; index < vector.length; index++) vector[index]! *= scale;
  return vector;
}

/** Dot product; for unit vectors this is the cosine similarity. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPair(a, b, 'dot');
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += a[index]! * b[index]!;
  return finiteResult(sum, 'dot');
}

/** Cosine similarity of two vectors of equal length; 0 when either is all zeros. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPair(a, b, 'cosineSimilarity');
  let product = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    product += a[index]! * b[index]!;
    normA += a[index]! * a[index]!;
    normB += b[index]! * b[index]!;
  }
  finiteResult(product + normA + normB, 'cosineSimilarity');
  return normA === 0 || normB === 0 ? 0 : product / Math.sqrt(normA * normB);
}

/**
 * The vector as a `Float32Array` (the same one if it already is); throws unless every component is a finite
 * number.
 */
export function toFloat32(vector: Float32Array | readonly number[]): Float32Array {
  if (vector instanceof Float32Array) return vector;
  checkArgument(Array.isArray(vector), 'toFloat32: vector', 'a Float32Array or an array of numbers', vector);
  const converted = Float32Array.from(vector);
  let sum = 0;
  for (let index = 0; index < converted.length; index++) sum += converted[index]!;
  finiteResult(sum, 'toFloat32: vector');
  return converted;
}
