/**
 * UTF-8 arithmetic on JavaScript strings, without allocating a byte array. A lone surrogate counts as
 * three bytes, because `TextEncoder` (and so every BPE encoder) replaces it with U+FFFD.
 */

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The string index just past the code point that starts at `index`. */
export function nextCodePointEnd(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(index + 1)) ? index + 2 : index + 1;
}

function codePointByteLength(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(index + 1))) return 4;
  return 3;
}

export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index = nextCodePointEnd(text, index)) {
    bytes += codePointByteLength(text, index);
  }
  return bytes;
}

/** The end index of the longest prefix of whole code points whose UTF-8 form fits in `maxBytes`. */
export function prefixEndWithinBytes(text: string, maxBytes: number): number {
  let bytes = 0;
  let index = 0;
  while (index < text.length) {
    bytes += codePointByteLength(text, index);
    if (bytes > maxBytes) break;
    index = nextCodePointEnd(text, index);
  }
  return index;
}

/** The string index where the code point that ends at `index` starts. */
export function previousCodePointStart(text: string, index: number): number {
  return index >= 2 &&
    isLowSurrogate(text.charCodeAt(index - 1)) &&
    isHighSurrogate(text.charCodeAt(index - 2))
    ? index - 2
    : Math.max(0, index - 1);
}
