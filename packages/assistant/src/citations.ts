import { parseInput } from '@neptune/core';
import { z } from 'zod';

const answerSchema = z.string({ error: 'the answer must be a string' });
/** `[1]`, `[1, 3]`, `[1][2]`, `[2-3]`: the markers an answer cites its passages by. */
const MARKER_GROUP = /\[(\d{1,4}(?:\s*(?:[,;]|-|–)\s*\d{1,4})*)\]/g;

/**
 * The distinct `[n]` markers an answer cites, ascending. Groups (`[1, 3]`) and ranges (`[2-4]`) count
 * each marker they name; a range longer than 20 is ignored as not a citation.
 */
export function citedMarkers(answer: string): number[] {
  const text = parseInput(answerSchema, answer, 'answer');
  const cited = new Set<number>();
  for (const match of text.matchAll(MARKER_GROUP)) {
    for (const part of match[1]!.split(/\s*[,;]\s*/)) {
      const [from, to] = part.split(/\s*[-–]\s*/).map(Number);
      if (to === undefined) cited.add(from!);
      else if (to >= from! && to - from! <= 20)
        for (let marker = from!; marker <= to; marker++) cited.add(marker);
    }
  }
  return [...cited].sort((a, b) => a - b);
}
