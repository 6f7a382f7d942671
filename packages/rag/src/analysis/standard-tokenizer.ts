import type { WordBreakClass } from './word-break-property';
import * as wordBreakProperty from './word-break-property';

// Bound locally because this runs per character: loaders that turn imports into property reads (Vitest,
// some bundlers' interop) otherwise add a getter call to each use, which made tokenizing 4x slower.
const { EmojiFlag, emojiFlagsOf, WordBreak, wordBreakOf } = wordBreakProperty;

/** Lucene's default: longer runs are cut into pieces of this many UTF-16 code units. */
export const MAX_TOKEN_LENGTH = 255;

const ZERO_WIDTH_JOINER = 0x200d;
const EMOJI_PRESENTATION_SELECTOR = 0xfe0f;
const COMBINING_KEYCAP = 0x20e3;
/** Marks "the previous unit joined through a punctuation character"; the next unit was checked already. */
const JOINED_BY_MID = -1;
/** A Hebrew letter followed by an apostrophe (WB7a): letters and digits may still follow. */
const HEBREW_QUOTE = -2;
const NONE = -3;

type WordState = WordBreakClass | typeof JOINED_BY_MID | typeof HEBREW_QUOTE | typeof NONE;

function widthOf(codePoint: number): number {
  return codePoint > 0xffff ? 2 : 1;
}

/** WB4: Extend, Format and ZWJ characters belong to the character before them. */
function skipExtend(text: string, position: number, includePresentationSelectors = true): number {
  let index = position;
  while (index < text.length) {
    const codePoint = text.codePointAt(index)!;
    const wordBreak = wordBreakOf(codePoint);
    if (
      wordBreak === WordBreak.Extend ||
      (includePresentationSelectors && wordBreak === WordBreak.PresentationSelector)
    ) {
      index += widthOf(codePoint);
    } else {
      break;
    }
  }
  return index;
}

function isLetter(state: WordState): boolean {
  return state === WordBreak.ALetter || state === WordBreak.HebrewLetter;
}

/** Whether a word/number unit of class `next` continues a token whose last unit was `previous` (WB5-WB13b). */
function continues(previous: WordState, next: WordBreakClass): boolean {
  if (previous === NONE || previous === JOINED_BY_MID) return true;
  if (next === WordBreak.ExtendNumLet) return true;
  if (next === WordBreak.Katakana)
    return previous === WordBreak.Katakana || previous === WordBreak.ExtendNumLet;
  // next is a letter or a digit
  return previous !== WordBreak.Katakana;
}

/** Whether `previous MID next` holds together (WB6/WB7 for letters, WB11/WB12 for numbers, WB7b/c for Hebrew). */
function joinsAcross(previous: WordState, mid: WordBreakClass, next: WordBreakClass): boolean {
  if (isLetter(previous) && isLetter(next)) {
    return mid === WordBreak.MidLetter || mid === WordBreak.MidNumLet || mid === WordBreak.SingleQuote;
  }
  if (previous === WordBreak.Numeric && next === WordBreak.Numeric) {
    return mid === WordBreak.MidNum || mid === WordBreak.MidNumLet || mid === WordBreak.SingleQuote;
  }
  return (
    previous === WordBreak.HebrewLetter && mid === WordBreak.DoubleQuote && next === WordBreak.HebrewLetter
  );
}

function isMid(wordBreak: WordBreakClass): boolean {
  return wordBreak >= WordBreak.MidLetter && wordBreak <= WordBreak.DoubleQuote;
}

function isWordUnit(wordBreak: WordBreakClass): boolean {
  return wordBreak >= WordBreak.ALetter && wordBreak <= WordBreak.ExtendNumLet;
}

/**
 * The end of the word or number starting at `start` (letters, digits, Katakana and connectors joined by
 * the UAX #29 rules), or `start` when there is none. A run of connectors alone ("___") is not a word.
 */
function matchWord(text: string, start: number): number {
  let index = start;
  let end = start;
  let previous: WordState = NONE;
  let hasLetterOrDigit = false;
  while (index < text.length) {
    const codePoint = text.codePointAt(index)!;
    const wordBreak = wordBreakOf(codePoint);
    if (isWordUnit(wordBreak)) {
      if (!continues(previous, wordBreak)) break;
      index = skipExtend(text, index + widthOf(codePoint));
      previous = wordBreak;
      if (wordBreak !== WordBreak.ExtendNumLet) hasLetterOrDigit = true;
      if (hasLetterOrDigit) end = index;
      continue;
    }
    if (!isMid(wordBreak) || previous === NONE) break;
    const afterMid = skipExtend(text, index + widthOf(codePoint));
    const next = afterMid < text.length ? wordBreakOf(text.codePointAt(afterMid)!) : WordBreak.Other;
    if (joinsAcross(previous, wordBreak, next)) {
      index = afterMid;
      previous = JOINED_BY_MID;
    } else if (previous === WordBreak.HebrewLetter && wordBreak === WordBreak.SingleQuote) {
      index = afterMid;
      end = index;
      previous = HEBREW_QUOTE;
    } else {
      break;
    }
  }
  return hasLetterOrDigit ? end : start;
}

function codePointAtOrZero(text: string, index: number): number {
  return index < text.length ? text.codePointAt(index)! : 0;
}

/** One element of an emoji sequence: an emoji (with optional U+FE0F), or a skin-tone modifier sequence. */
function matchEmojiElement(text: string, start: number): number {
  let index = start;
  while (codePointAtOrZero(text, index) === ZERO_WIDTH_JOINER) index++;
  const codePoint = codePointAtOrZero(text, index);
  if (codePoint === 0) return -1;
  const flags = emojiFlagsOf(codePoint);
  const afterBase = skipExtend(text, index + widthOf(codePoint), false);
  let end = -1;
  if (flags & EmojiFlag.Character) {
    end = codePointAtOrZero(text, afterBase) === EMOJI_PRESENTATION_SELECTOR ? afterBase + 1 : afterBase;
  }
  if (flags & EmojiFlag.Modifier) end = Math.max(end, afterBase);
  if (flags & EmojiFlag.ModifierBase) {
    const modifier = codePointAtOrZero(text, afterBase);
    if (modifier !== 0 && emojiFlagsOf(modifier) & EmojiFlag.Modifier) {
      end = Math.max(end, skipExtend(text, afterBase + widthOf(modifier), false));
    }
  }
  return end;
}

/** Emoji sequences as Lucene reads them (UTS #51): ZWJ chains, tag sequences, keycaps and flags. */
function matchEmoji(text: string, start: number): number {
  const codePoint = text.codePointAt(start)!;
  const flags = emojiFlagsOf(codePoint);
  if (wordBreakOf(codePoint) === WordBreak.RegionalIndicator) {
    const second = skipExtend(text, start + 2, false);
    const next = codePointAtOrZero(text, second);
    return next !== 0 && wordBreakOf(next) === WordBreak.RegionalIndicator
      ? skipExtend(text, second + 2, false)
      : start;
  }
  let best = start;
  if (flags & EmojiFlag.KeycapBase) {
    let index = start + 1;
    if (codePointAtOrZero(text, index) === EMOJI_PRESENTATION_SELECTOR) index++;
    if (codePointAtOrZero(text, index) === COMBINING_KEYCAP) best = skipExtend(text, index + 1, false);
  }
  let end = matchEmojiElement(text, start);
  if (end < 0) return best;
  if (emojiFlagsOf(codePointAtOrZero(text, end)) & EmojiFlag.TagSpec) {
    let index = end;
    while (emojiFlagsOf(codePointAtOrZero(text, index)) & EmojiFlag.TagSpec) index += 2;
    if (emojiFlagsOf(codePointAtOrZero(text, index)) & EmojiFlag.TagTerm) return Math.max(best, index + 2);
    return Math.max(best, end);
  }
  for (;;) {
    const joined =
      text.charCodeAt(end - 1) === ZERO_WIDTH_JOINER || codePointAtOrZero(text, end) === ZERO_WIDTH_JOINER;
    if (!joined) break;
    const next = matchEmojiElement(text, end);
    if (next < 0) break;
    end = next;
  }
  return Math.max(best, end);
}

/** The end of the token starting at `start`, or `start` when the character there starts none. */
function matchToken(text: string, start: number): number {
  const codePoint = text.codePointAt(start)!;
  const wordBreak = wordBreakOf(codePoint);
  let end = start;
  if (isWordUnit(wordBreak)) {
    end = matchWord(text, start);
  } else if (wordBreak === WordBreak.ComplexContext) {
    // Thai, Lao, Khmer, Myanmar…: kept as one run, since finding their word breaks needs a dictionary.
    end = start;
    while (end < text.length && wordBreakOf(text.codePointAt(end)!) === WordBreak.ComplexContext) {
      end = skipExtend(text, end + widthOf(text.codePointAt(end)!));
    }
  } else if (wordBreak === WordBreak.Han || wordBreak === WordBreak.Hiragana) {
    // One token per ideograph or Hiragana character, as Lucene does (no dictionary segmentation).
    end = skipExtend(text, start + widthOf(codePoint));
  }
  if (emojiFlagsOf(codePoint) !== 0 || wordBreak === WordBreak.RegionalIndicator) {
    end = Math.max(end, matchEmoji(text, start));
  }
  return end;
}

/**
 * Splits text into words the way Lucene's `StandardTokenizer` does: the word rules of Unicode text
 * segmentation (UAX #29). Letters, digits and apostrophes inside words stay together ("don't", "3.5",
 * "1,000", "e.g"), punctuation and whitespace are dropped, each CJK ideograph is its own token, emoji
 * sequences are kept. Case is preserved; tokens longer than `maxTokenLength` are cut into pieces.
 */
export function standardTokenize(text: string, maxTokenLength: number = MAX_TOKEN_LENGTH): string[] {
  const tokens: string[] = [];
  let position = 0;
  while (position < text.length) {
    const end = matchToken(text, position);
    if (end > position) {
      const cut = Math.min(end, position + maxTokenLength);
      tokens.push(text.slice(position, cut));
      position = cut;
    } else {
      position += widthOf(text.codePointAt(position)!);
    }
  }
  return tokens;
}
