/**
 * The longest pre-tokenizer piece handed to byte-pair encoding whole, in UTF-16 code units.
 *
 * BPE merges one piece at a time and costs about the square of the piece's length (gpt-tokenizer and
 * tiktoken both), so 80,000 × `a` (one piece) took seconds. Pieces longer than this are cut into pieces of
 * at most this length, which bounds the merge work at `text.length × MAX_BPE_PIECE_LENGTH`: linear in the
 * text. Prose, code and the parity corpus never form a piece this long (a 900-character word is in the
 * parity tests), so their tokens stay identical to tiktoken's; only an unbroken run past this length is
 * encoded as consecutive runs of this length, which costs a token or two more or fewer than tiktoken.
 */
export const MAX_BPE_PIECE_LENGTH = 1024;

/**
 * Splits `text` into segments that encode to the same tokens as the whole text, except that a
 * pre-tokenizer piece longer than `maxPieceLength` becomes several segments of at most that length (cut
 * between code points). Text between long pieces is passed through as one segment: the split pattern has
 * no lookbehind and looks at most one character ahead, so cutting at a piece boundary leaves every piece
 * before and after it unchanged.
 */
export function* linearSegments(
  text: string,
  splitPattern: RegExp,
  maxPieceLength = MAX_BPE_PIECE_LENGTH,
): Generator<string> {
  if (text.length <= maxPieceLength) {
    yield text;
    return;
  }
  let segmentStart = 0;
  for (const match of text.matchAll(splitPattern)) {
    const piece = match[0];
    if (piece.length <= maxPieceLength) continue;
    if (match.index > segmentStart) yield text.slice(segmentStart, match.index);
    yield* cutBetweenCodePoints(piece, maxPieceLength);
    segmentStart = match.index + piece.length;
  }
  if (segmentStart < text.length) yield segmentStart === 0 ? text : text.slice(segmentStart);
}

function* cutBetweenCodePoints(piece: string, maxLength: number): Generator<string> {
  let start = 0;
  while (start < piece.length) {
    let end = Math.min(start + maxLength, piece.length);
    // Never end on the high half of a surrogate pair: the character would be split in two.
    const last = piece.charCodeAt(end - 1);
    if (end < piece.length && last >= 0xd800 && last <= 0xdbff && end - 1 > start) end -= 1;
    yield piece.slice(start, end);
    start = end;
  }
}
