/**
 * Lucene stores each document's length in one byte (`SmallFloat.intToByte4`): lengths below 40 exactly,
 * longer ones rounded down to 4 significant bits. BM25 then scores with the decoded, rounded length.
 * Doing the same is what makes our scores, and so our rankings, equal to Lucene's and Anserini's.
 */

/** Byte values below this encode the length itself. */
const EXACT_VALUES = 24;

/** A float-like encoding of a non-negative integer keeping its 4 most significant bits (`longToInt4`). */
function encodeFourBits(value: number): number {
  const bitCount = 32 - Math.clz32(value);
  if (bitCount < 4) return value;
  const shift = bitCount - 4;
  // The leading 1 bit is implicit, so 3 bits of mantissa are stored along with the shift.
  return ((value >>> shift) & 0x07) | ((shift + 1) << 3);
}

function decodeFourBits(encoded: number): number {
  const mantissa = encoded & 0x07;
  const shift = (encoded >>> 3) - 1;
  return shift === -1 ? mantissa : (mantissa | 0x08) * 2 ** shift;
}

/** Encodes a document length (in terms) into Lucene's one-byte norm, 0 to 255. */
export function encodeLengthNorm(length: number): number {
  if (length < EXACT_VALUES) return length;
  return EXACT_VALUES + encodeFourBits(Math.min(length, 0x7fffffff) - EXACT_VALUES);
}

/** The length a one-byte norm stands for. */
export function decodeLengthNorm(norm: number): number {
  return norm < EXACT_VALUES ? norm : EXACT_VALUES + decodeFourBits(norm - EXACT_VALUES);
}
