/** Abbreviations whose period does not end a sentence. */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'inc',
  'ltd',
  'co',
  'corp',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'no',
  'approx',
]);

/**
 * Splits text into sentences on `.`, `!`, `?` and `;` followed by a space, and on line breaks, without
 * breaking decimals (`$2.4M`), emails, or abbreviations such as `Dr.` and `Inc.` before a capitalised word.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    const next = text[index + 1];
    const isBreak = char === '\n';
    const isEnd =
      (char === '.' || char === '!' || char === '?' || char === ';') &&
      (next === undefined || /\s/.test(next));
    if (!isBreak && !isEnd) continue;
    if (char === '.') {
      const word = /([\w.]+)$/.exec(text.slice(start, index))?.[1]?.toLowerCase() ?? '';
      // "Acme Robotics Inc. is" continues; "… with Acme Robotics Inc." at the very end ends.
      if (ABBREVIATIONS.has(word) && next !== undefined && /^\s+[a-z]/.test(text.slice(index + 1))) continue;
      if (ABBREVIATIONS.has(word) && /^(mr|mrs|ms|dr|prof|st)$/.test(word)) continue;
    }
    const sentence = text.slice(start, index + (isBreak ? 0 : 1)).trim();
    if (sentence !== '') sentences.push(sentence);
    start = index + 1;
  }
  const rest = text.slice(start).trim();
  if (rest !== '') sentences.push(rest);
  return sentences;
}
