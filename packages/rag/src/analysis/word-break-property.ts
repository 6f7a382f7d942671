/**
 * The Unicode Word_Break classes (UAX #29) that Lucene's StandardTokenizer grammar distinguishes, plus
 * the script groups it tokenizes on their own terms (Han, Hiragana, South East Asian scripts).
 *
 * JavaScript regular expressions cannot test Word_Break directly, so each class is derived from the
 * properties UAX #29 defines it with (Alphabetic, Script, General_Category, Grapheme_Extend), and the
 * short punctuation lists are spelled out.
 */
export const WordBreak = {
  Other: 0,
  ALetter: 1,
  HebrewLetter: 2,
  Numeric: 3,
  Katakana: 4,
  ExtendNumLet: 5,
  MidLetter: 6,
  MidNumLet: 7,
  MidNum: 8,
  SingleQuote: 9,
  DoubleQuote: 10,
  /** Extend, Format and ZWJ: attach to the character before them (rule WB4). */
  Extend: 11,
  /** U+FE0E and U+FE0F: Extend for words, but part of the syntax of emoji sequences. */
  PresentationSelector: 12,
  Han: 13,
  Hiragana: 14,
  ComplexContext: 15,
  RegionalIndicator: 16,
} as const;

export type WordBreakClass = (typeof WordBreak)[keyof typeof WordBreak];

/** Bit flags for the emoji grammar, which cuts across the Word_Break classes (digits can start keycaps). */
export const EmojiFlag = {
  Character: 1,
  ModifierBase: 2,
  Modifier: 4,
  KeycapBase: 8,
  TagSpec: 16,
  TagTerm: 32,
} as const;

const MID_LETTER = new Set([0x3a, 0xb7, 0x387, 0x55f, 0x5f4, 0x2027, 0xfe13, 0xfe55, 0xff1a]);
const MID_NUM_LET = new Set([0x2e, 0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e]);
const MID_NUM = new Set([
  0x2c, 0x3b, 0x37e, 0x589, 0x60c, 0x60d, 0x66c, 0x7f8, 0x2044, 0xfe10, 0xfe14, 0xfe50, 0xfe54, 0xff0c,
  0xff1b,
]);
/** Modifier letters and marks UAX #29 adds to ALetter although they are not Alphabetic. */
const EXTRA_ALETTER_RANGES: readonly (readonly [number, number])[] = [
  [0x2c2, 0x2c5],
  [0x2d2, 0x2d7],
  [0x2de, 0x2df],
  [0x2e5, 0x2eb],
  [0x2ed, 0x2ed],
  [0x2ef, 0x2ff],
  [0x55a, 0x55c],
  [0x55e, 0x55e],
  [0x58a, 0x58a],
  [0x5f3, 0x5f3],
  [0xa708, 0xa716],
  [0xa720, 0xa721],
  [0xa789, 0xa78a],
  [0xab5b, 0xab5b],
];
const EXTRA_KATAKANA = new Set([
  0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x309b, 0x309c, 0x30a0, 0x30fc, 0xff70,
]);
/** Line_Break = Complex_Context: letters and marks of scripts written without spaces between words. */
const COMPLEX_CONTEXT_SCRIPT =
  /[\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Khmer}\p{Script=Tai_Le}\p{Script=New_Tai_Lue}\p{Script=Tai_Tham}\p{Script=Tai_Viet}\p{Script=Ahom}]/u;

const EXTEND = /[\p{Grapheme_Extend}\p{Mc}]/u;
const FORMAT = /\p{Cf}/u;
const CONNECTOR_PUNCTUATION = /\p{Pc}/u;
const KATAKANA = /\p{Script=Katakana}/u;
const HIRAGANA = /\p{Script=Hiragana}/u;
const HAN = /\p{Script=Han}/u;
const DECIMAL_DIGIT = /\p{Nd}/u;
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const HEBREW_LETTER = /\p{Script=Hebrew}/u;
const OTHER_LETTER = /\p{Lo}/u;
const ALPHABETIC = /\p{Alphabetic}/u;
const IDEOGRAPHIC = /\p{Ideographic}/u;
const REGIONAL_INDICATOR = /\p{Regional_Indicator}/u;
const EXTENDED_PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const EMOJI = /\p{Emoji}/u;
const EMOJI_MODIFIER = /\p{Emoji_Modifier}/u;
const EMOJI_MODIFIER_BASE = /\p{Emoji_Modifier_Base}/u;
/** Characters Lucene keeps out of plain emoji because they mostly appear as text: © ® ™ 〰 〽. */
const ACCIDENTAL_EMOJI = new Set([0xa9, 0xae, 0x2122, 0x3030, 0x303d]);

function isExtraALetter(codePoint: number): boolean {
  return EXTRA_ALETTER_RANGES.some(([first, last]) => codePoint >= first && codePoint <= last);
}

function computeWordBreak(codePoint: number): WordBreakClass {
  if (codePoint === 0x27) return WordBreak.SingleQuote;
  if (codePoint === 0x22) return WordBreak.DoubleQuote;
  if (MID_LETTER.has(codePoint)) return WordBreak.MidLetter;
  if (MID_NUM_LET.has(codePoint)) return WordBreak.MidNumLet;
  if (MID_NUM.has(codePoint)) return WordBreak.MidNum;
  if (codePoint === 0xfe0e || codePoint === 0xfe0f) return WordBreak.PresentationSelector;
  const character = String.fromCodePoint(codePoint);
  if (codePoint === 0x200d || EXTEND.test(character)) return WordBreak.Extend;
  // Zero-width space and non-joiner are Format characters that UAX #29 deliberately leaves out of WB4.
  if (FORMAT.test(character) && codePoint !== 0x200b && codePoint !== 0x200c) return WordBreak.Extend;
  if (REGIONAL_INDICATOR.test(character)) return WordBreak.RegionalIndicator;
  if (CONNECTOR_PUNCTUATION.test(character) || codePoint === 0x202f) return WordBreak.ExtendNumLet;
  if (KATAKANA.test(character) || EXTRA_KATAKANA.has(codePoint)) return WordBreak.Katakana;
  if (HIRAGANA.test(character)) return WordBreak.Hiragana;
  if (HAN.test(character)) return WordBreak.Han;
  if (DECIMAL_DIGIT.test(character) || codePoint === 0x66b) return WordBreak.Numeric;
  if (COMPLEX_CONTEXT_SCRIPT.test(character) && LETTER_OR_MARK.test(character))
    return WordBreak.ComplexContext;
  if (HEBREW_LETTER.test(character) && OTHER_LETTER.test(character)) return WordBreak.HebrewLetter;
  if ((ALPHABETIC.test(character) || isExtraALetter(codePoint)) && !IDEOGRAPHIC.test(character)) {
    return WordBreak.ALetter;
  }
  return WordBreak.Other;
}

function computeEmojiFlags(codePoint: number): number {
  const character = String.fromCodePoint(codePoint);
  let flags = 0;
  const isModifier = EMOJI_MODIFIER.test(character);
  const isKeycapBase = (codePoint >= 0x30 && codePoint <= 0x39) || codePoint === 0x23 || codePoint === 0x2a;
  if (
    EXTENDED_PICTOGRAPHIC.test(character) ||
    (EMOJI.test(character) &&
      !isModifier &&
      !isKeycapBase &&
      !ACCIDENTAL_EMOJI.has(codePoint) &&
      !REGIONAL_INDICATOR.test(character))
  ) {
    flags |= EmojiFlag.Character;
  }
  if (EMOJI_MODIFIER_BASE.test(character)) flags |= EmojiFlag.ModifierBase;
  if (isModifier) flags |= EmojiFlag.Modifier;
  if (isKeycapBase) flags |= EmojiFlag.KeycapBase;
  if (codePoint >= 0xe0020 && codePoint <= 0xe007e) flags |= EmojiFlag.TagSpec;
  if (codePoint === 0xe007f) flags |= EmojiFlag.TagTerm;
  return flags;
}

const UNKNOWN = 0xff;
// Regular expressions are far too slow to run per character of a corpus, so each code point is classified
// once and remembered: a flat table for the Basic Multilingual Plane, a map for the rest.
const basicPlaneClasses = new Uint8Array(0x10000).fill(UNKNOWN);
const basicPlaneEmojiFlags = new Uint8Array(0x10000).fill(UNKNOWN);
const supplementaryClasses = new Map<number, number>();

/** The Word_Break class of a code point. */
export function wordBreakOf(codePoint: number): WordBreakClass {
  if (codePoint < 0x10000) {
    let value = basicPlaneClasses[codePoint]!;
    if (value === UNKNOWN) {
      value = computeWordBreak(codePoint);
      basicPlaneClasses[codePoint] = value;
    }
    return value as WordBreakClass;
  }
  let value = supplementaryClasses.get(codePoint);
  if (value === undefined) {
    value = computeWordBreak(codePoint) | (computeEmojiFlags(codePoint) << 8);
    supplementaryClasses.set(codePoint, value);
  }
  return (value & 0xff) as WordBreakClass;
}

/** The `EmojiFlag` bits of a code point (0 for most text). */
export function emojiFlagsOf(codePoint: number): number {
  if (codePoint < 0x10000) {
    let value = basicPlaneEmojiFlags[codePoint]!;
    if (value === UNKNOWN) {
      value = computeEmojiFlags(codePoint);
      basicPlaneEmojiFlags[codePoint] = value;
    }
    return value;
  }
  wordBreakOf(codePoint);
  return supplementaryClasses.get(codePoint)! >> 8;
}
