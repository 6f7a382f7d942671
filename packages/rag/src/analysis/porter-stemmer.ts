/**
 * The Porter stemming algorithm (Porter, 1980, "An algorithm for suffix stripping"), in the variant
 * Lucene's PorterStemFilter runs: Porter's reference implementation, including its two departures from
 * the paper (-bli → -ble, -logi → -log). Words of one or two characters are left alone.
 *
 * Naming follows the paper: a word is [C](VC){m}[V]; `measure` is m of the stem in front of a suffix.
 */

type SuffixRule = readonly [suffix: string, replacement: string];

/** Step 2 of the paper: double suffixes to single ones, applied when the stem's measure is above 0. */
const DOUBLE_SUFFIXES: readonly SuffixRule[] = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['izer', 'ize'],
  ['bli', 'ble'],
  ['alli', 'al'],
  ['entli', 'ent'],
  ['eli', 'e'],
  ['ousli', 'ous'],
  ['ization', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['iveness', 'ive'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['aliti', 'al'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
  ['logi', 'log'],
];

/** Step 3 of the paper: -ic-, -full, -ness and the like. */
const DERIVATIONAL_SUFFIXES: readonly SuffixRule[] = [
  ['icate', 'ic'],
  ['ative', ''],
  ['alize', 'al'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
];

/** Step 4 of the paper: suffixes removed outright when the stem's measure is above 1. */
const RESIDUAL_SUFFIXES: readonly string[] = [
  'al',
  'ance',
  'ence',
  'er',
  'ic',
  'able',
  'ible',
  'ant',
  'ement',
  'ment',
  'ent',
  'ion',
  'ou',
  'ism',
  'ate',
  'iti',
  'ous',
  'ive',
  'ize',
];

/**
 * One word being stemmed. `last` is the index of the word's last character; `stemLast` the index of the
 * last character before the suffix most recently matched by `endsWith`.
 */
class PorterWord {
  private readonly characters: string[];
  private last: number;
  private stemLast = 0;

  constructor(word: string) {
    this.characters = word.split('');
    this.last = word.length - 1;
  }

  toString(): string {
    return this.characters.slice(0, this.last + 1).join('');
  }

  private isConsonant(index: number): boolean {
    switch (this.characters[index]) {
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
        return false;
      case 'y':
        // y is a consonant at the start of a word or after a vowel: "toy" (consonant), "syzygy" (vowel).
        return index === 0 || !this.isConsonant(index - 1);
      default:
        return true;
    }
  }

  /** m: the number of vowel-consonant sequences in characters 0..stemLast. */
  private measure(): number {
    let count = 0;
    let index = 0;
    while (index <= this.stemLast && this.isConsonant(index)) index++;
    while (index <= this.stemLast) {
      while (index <= this.stemLast && !this.isConsonant(index)) index++;
      if (index > this.stemLast) break;
      count++;
      while (index <= this.stemLast && this.isConsonant(index)) index++;
    }
    return count;
  }

  private stemHasVowel(): boolean {
    for (let index = 0; index <= this.stemLast; index++) if (!this.isConsonant(index)) return true;
    return false;
  }

  private isDoubleConsonant(index: number): boolean {
    return index >= 1 && this.characters[index] === this.characters[index - 1] && this.isConsonant(index);
  }

  /** consonant-vowel-consonant ending at `index`, the last consonant not w, x or y: "hop" but not "snow". */
  private isConsonantVowelConsonant(index: number): boolean {
    if (
      index < 2 ||
      !this.isConsonant(index) ||
      this.isConsonant(index - 1) ||
      !this.isConsonant(index - 2)
    ) {
      return false;
    }
    const character = this.characters[index];
    return character !== 'w' && character !== 'x' && character !== 'y';
  }

  private endsWith(suffix: string): boolean {
    const start = this.last - suffix.length + 1;
    if (start < 0) return false;
    for (let offset = 0; offset < suffix.length; offset++) {
      if (this.characters[start + offset] !== suffix[offset]) return false;
    }
    this.stemLast = start - 1;
    return true;
  }

  private replaceSuffix(replacement: string): void {
    for (let offset = 0; offset < replacement.length; offset++) {
      this.characters[this.stemLast + 1 + offset] = replacement[offset]!;
    }
    this.last = this.stemLast + replacement.length;
  }

  /** Tries the rules in order; the first suffix that matches decides, whether or not its stem qualifies. */
  private replaceFirstMatching(rules: readonly SuffixRule[]): void {
    for (const [suffix, replacement] of rules) {
      if (this.endsWith(suffix)) {
        if (this.measure() > 0) this.replaceSuffix(replacement);
        return;
      }
    }
  }

  /** Plurals, -ed and -ing: caresses → caress, ponies → poni, agreed → agree, hopping → hop. */
  removeInflection(): void {
    if (this.characters[this.last] === 's') {
      if (this.endsWith('sses')) this.last -= 2;
      else if (this.endsWith('ies')) this.replaceSuffix('i');
      else if (this.characters[this.last - 1] !== 's') this.last--;
    }
    if (this.endsWith('eed')) {
      if (this.measure() > 0) this.last--;
      return;
    }
    if (!((this.endsWith('ed') || this.endsWith('ing')) && this.stemHasVowel())) return;
    this.last = this.stemLast;
    if (this.endsWith('at')) this.replaceSuffix('ate');
    else if (this.endsWith('bl')) this.replaceSuffix('ble');
    else if (this.endsWith('iz')) this.replaceSuffix('ize');
    else if (this.isDoubleConsonant(this.last)) {
      const character = this.characters[this.last];
      if (character !== 'l' && character !== 's' && character !== 'z') this.last--;
    } else if (this.measure() === 1 && this.isConsonantVowelConsonant(this.last)) {
      // restores the e of short words: hoping → hope
      this.stemLast = this.last;
      this.replaceSuffix('e');
    }
  }

  /** Terminal y to i when the stem has a vowel: happy → happi, but sky stays. */
  replaceTerminalY(): void {
    if (this.endsWith('y') && this.stemHasVowel()) this.characters[this.last] = 'i';
  }

  reduceDoubleSuffixes(): void {
    this.replaceFirstMatching(DOUBLE_SUFFIXES);
  }

  reduceDerivationalSuffixes(): void {
    this.replaceFirstMatching(DERIVATIONAL_SUFFIXES);
  }

  removeResidualSuffix(): void {
    for (const suffix of RESIDUAL_SUFFIXES) {
      if (!this.endsWith(suffix)) continue;
      // -ion goes only after s or t: adoption → adopt, but not onion.
      if (suffix === 'ion') {
        const before = this.characters[this.stemLast];
        if (this.stemLast < 0 || (before !== 's' && before !== 't')) return;
      }
      if (this.measure() > 1) this.last = this.stemLast;
      return;
    }
  }

  /** Final -e when m > 1 (or m = 1 and not cvc), and -ll → -l when m > 1. */
  tidyEnding(): void {
    this.stemLast = this.last;
    if (this.characters[this.last] === 'e') {
      const measure = this.measure();
      if (measure > 1 || (measure === 1 && !this.isConsonantVowelConsonant(this.last - 1))) this.last--;
    }
    // Measured over the word as it was before the e went, as in the reference implementation.
    if (this.characters[this.last] === 'l' && this.isDoubleConsonant(this.last) && this.measure() > 1) {
      this.last--;
    }
  }
}

/** Stems one lower-case word: "relational" → "relat", "generalization" → "gener", "ponies" → "poni". */
export function porterStem(word: string): string {
  if (word.length <= 2) return word;
  const stemmer = new PorterWord(word);
  stemmer.removeInflection();
  stemmer.replaceTerminalY();
  stemmer.reduceDoubleSuffixes();
  stemmer.reduceDerivationalSuffixes();
  stemmer.removeResidualSuffix();
  stemmer.tidyEnding();
  return stemmer.toString();
}
