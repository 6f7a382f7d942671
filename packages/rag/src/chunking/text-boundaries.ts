/**
 * Where a chunk may end, ranked: a paragraph break is better than a sentence end, which is better than a
 * word gap. Positions are offsets into the text at which a new segment starts.
 */
export enum BoundaryLevel {
  Word = 1,
  Sentence = 2,
  Paragraph = 3,
}

export interface Boundaries {
  /** Sorted, unique offsets (0 < offset < text.length). */
  readonly positions: Int32Array;
  /** Level of each position, parallel to `positions`. */
  readonly levels: Uint8Array;
}

const FENCE = /^(?:```|~~~)/;

/** Fenced code blocks, as [start, end) ranges: no sentence is found inside code, only line ends. */
function codeRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let offset = 0;
  let openedAt = -1;
  for (const line of text.split('\n')) {
    if (FENCE.test(line.trimStart())) {
      if (openedAt === -1) openedAt = offset;
      else {
        ranges.push([openedAt, offset + line.length]);
        openedAt = -1;
      }
    }
    offset += line.length + 1;
  }
  if (openedAt !== -1) ranges.push([openedAt, text.length]);
  return ranges;
}

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });

/**
 * Iterating `Intl.Segmenter` over one long string is quadratic in V8 (74 KB of text took 4 s for words),
 * so it only ever sees short pieces: text is cut at line breaks, or at a space near `maxLength`.
 */
const MAX_PIECE_LENGTH = 1024;

/** Where a piece may be cut without inventing a boundary: a line break, a sentence end, a space. */
function pieceCut(text: string, start: number, limit: number): number {
  const newline = text.lastIndexOf('\n', limit - 1);
  if (newline > start) return newline + 1;
  for (let index = limit - 1; index > start + MAX_PIECE_LENGTH / 2; index--) {
    if ('.!?。！？'.includes(text[index]!)) return index + 1;
  }
  const space = text.lastIndexOf(' ', limit - 1);
  return space > start ? space + 1 : limit;
}

function* pieces(text: string, from: number, to: number): Generator<[number, number]> {
  let start = from;
  while (start < to) {
    const end = start + MAX_PIECE_LENGTH >= to ? to : pieceCut(text, start, start + MAX_PIECE_LENGTH);
    yield [start, end];
    start = end;
  }
}

function segmentStarts(
  segmenter: Intl.Segmenter,
  text: string,
  from: number,
  to: number,
  visit: (position: number) => void,
): void {
  for (const [start, end] of pieces(text, from, to)) {
    for (const segment of segmenter.segment(text.slice(start, end))) {
      // A piece's own start is where we cut, not a boundary the segmenter found.
      if (segment.index > 0 || start === from) visit(start + segment.index);
    }
  }
}

/** Runs of scripts written without spaces, where word boundaries need a dictionary (the segmenter's). */
const UNSPACED_RUN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]{2,}/gu;

/**
 * Finds every place a chunk may end. Uses `Intl.Segmenter` (Unicode UAX #29, in Node and edge runtimes)
 * for sentences and words, so CJK text without spaces still has word boundaries.
 */
export function findBoundaries(text: string): Boundaries {
  const level = new Map<number, BoundaryLevel>();
  const raise = (position: number, value: BoundaryLevel) => {
    if (position <= 0 || position >= text.length) return;
    if ((level.get(position) ?? 0) < value) level.set(position, value);
  };
  const code = codeRanges(text);
  const inCode = (position: number) => code.some(([start, end]) => position > start && position < end);

  // Words: after every run of white space, plus dictionary word breaks inside unspaced scripts.
  for (const match of text.matchAll(/\s+/g)) raise(match.index + match[0].length, BoundaryLevel.Word);
  for (const match of text.matchAll(UNSPACED_RUN)) {
    segmentStarts(wordSegmenter, text, match.index, match.index + match[0].length, (position) =>
      raise(position, BoundaryLevel.Word),
    );
  }
  segmentStarts(sentenceSegmenter, text, 0, text.length, (position) => {
    if (!inCode(position)) raise(position, BoundaryLevel.Sentence);
  });
  const blankLine = /[ \t]*\n/y;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    // Inside code, a line end is as good as a sentence end; a blank line anywhere is a paragraph break.
    blankLine.lastIndex = index + 1;
    const blank = blankLine.test(text);
    raise(
      index + 1,
      blank ? BoundaryLevel.Paragraph : inCode(index) ? BoundaryLevel.Sentence : BoundaryLevel.Word,
    );
  }
  for (const [start, end] of code) {
    raise(start, BoundaryLevel.Paragraph);
    raise(end + 1, BoundaryLevel.Paragraph);
  }
  const positions = Int32Array.from([...level.keys()].sort((a, b) => a - b));
  const levels = Uint8Array.from(positions, (position) => level.get(position)!);
  return { positions, levels };
}
