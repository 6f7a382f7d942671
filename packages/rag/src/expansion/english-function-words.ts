/**
 * English function words: pronouns, auxiliaries, determiners, prepositions, conjunctions and a few
 * frequent adverbs. The keyword index keeps most of them (Lucene's stop list has only 33 words), and they
 * are frequent in every passage, so a relevance model learnt from a handful of passages ranks them among
 * its heaviest terms. Anserini drops such terms by their collection frequency; an expander that sees only
 * the feedback passages has no collection statistics, so it drops them by name instead.
 */
// biome-ignore format: a word list reads better packed than one word per line
export const ENGLISH_FUNCTION_WORDS: readonly string[] = [
  'i', 'me', 'my', 'myself', 'we', 'us', 'our', 'ours', 'ourselves', 'you', 'your', 'yours', 'yourself',
  'yourselves', 'he', 'him', 'his', 'himself', 'she', 'her', 'hers', 'herself', 'it', 'its', 'itself',
  'they', 'them', 'their', 'theirs', 'themselves', 'what', 'which', 'who', 'whom', 'whose', 'this', 'that',
  'these', 'those', 'am', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'have', 'has', 'had',
  'having', 'do', 'does', 'did', 'doing', 'would', 'should', 'could', 'ought', 'might', 'must', 'shall',
  'will', 'can', 'may', 'a', 'an', 'the', 'and', 'but', 'if', 'or', 'because', 'as', 'until', 'while',
  'of', 'at', 'by', 'for', 'with', 'about', 'against', 'between', 'into', 'through', 'during', 'before',
  'after', 'above', 'below', 'to', 'from', 'up', 'down', 'in', 'out', 'on', 'off', 'over', 'under',
  'again', 'further', 'then', 'once', 'here', 'there', 'when', 'where', 'why', 'how', 'all', 'any', 'both',
  'each', 'few', 'more', 'most', 'other', 'some', 'such', 'no', 'nor', 'not', 'only', 'own', 'same', 'so',
  'than', 'too', 'very', 'also', 'however', 'thus', 'therefore', 'although', 'though', 'whether', 'within',
  'without', 'upon', 'among', 'via', 'per', 'yet', 'either', 'neither', 'whereas',
];
