/**
 * A small English-leaning analyzer for the offline embedder: Unicode word segmentation, lower case, the
 * common stop words dropped, and a light suffix stripper. It lives in core (not in @neptune/rag's full
 * Lucene-style analyzer) so that the embedder carries no dependency.
 */
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both
  but by can could did do does doing down during each few for from further had has have having he her here hers
  herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
  once only or other our ours ourselves out over own same she should so some such than that the their theirs them
  themselves then there these they this those through to too under until up very was we were what when where which
  while who whom why will with would you your yours yourself yourselves`.split(/\s+/),
);

const WORD = /[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Strips common inflections so that "trials", "trial" and "trialled" meet; deliberately conservative. */
export function lightStem(word: string): string {
  if (word.length <= 3) return word;
  let stem = word.replace(/['’]s$/, '');
  if (stem.endsWith('ies') && stem.length > 4) stem = `${stem.slice(0, -3)}y`;
  else if (stem.endsWith('sses')) stem = stem.slice(0, -2);
  else if (stem.endsWith('s') && !stem.endsWith('ss') && !stem.endsWith('us') && !stem.endsWith('is'))
    stem = stem.slice(0, -1);
  if (stem.length > 5 && stem.endsWith('ing')) stem = stem.slice(0, -3);
  else if (stem.length > 4 && stem.endsWith('ed')) stem = stem.slice(0, -2);
  else if (stem.length > 5 && stem.endsWith('ly')) stem = stem.slice(0, -2);
  return stem;
}

/** Words of the text, analysed. CJK runs are split into single characters, which carry meaning there. */
export function analyzeWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (CJK.test(word)) {
      for (const character of word) words.push(character);
      continue;
    }
    if (STOP_WORDS.has(word)) continue;
    words.push(lightStem(word.replace(/[’]/g, "'")));
  }
  return words;
}
