import { createTokenizer, tokenizerEncodings } from '@neptune/core/tokenizer';
import type { Cell } from './lib/benchmark';
import { defineBenchmark } from './lib/benchmark';
import { measure } from './lib/measure';

// Unbroken runs (one pre-tokenizer piece each) used to cost the square of their length in BPE.
// Cutting pieces past 1,024 characters makes the cost grow linearly: 10x the text, about 10x the time.
let seed = 1;
function randomLetters(length: number): string {
  let text = '';
  for (let index = 0; index < length; index++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    text += String.fromCharCode(97 + (seed % 26));
  }
  return text;
}

// Repeated runs cut into identical pieces, which gpt-tokenizer's merge cache then answers; random letters
// give every piece new work, the worst case for the merge loop.
const RUNS: Record<string, (length: number) => string> = {
  'one letter': (length) => 'a'.repeat(length),
  'random letters': randomLetters,
  'two letters': (length) => 'ab'.repeat(length / 2),
  whitespace: (length) => `x${' '.repeat(length - 2)}y`,
};
const LENGTHS = [10_000, 100_000] as const;

export default defineBenchmark({
  name: 'tokenizer-long-runs',
  description: 'count() on long unbroken runs: time grows linearly with length',
  async run() {
    const rows: Record<string, Cell>[] = [];
    for (const encoding of tokenizerEncodings) {
      const tokenizer = await createTokenizer({ encoding });
      for (const [name, make] of Object.entries(RUNS)) {
        const row: Record<string, Cell> = { run: name, encoding };
        const medians: number[] = [];
        for (const length of LENGTHS) {
          // A different text each sample (made before timing), so no sample is answered from the merge cache.
          const texts = Array.from({ length: 17 }, (_, sample) => `${sample} ${make(length)}`);
          let sample = 0;
          const result = await measure(() => tokenizer.count(texts[sample++ % texts.length]!), {
            warmupIterations: 2,
            iterations: 15,
          });
          medians.push(result.medianNs / 1e6);
          row[`${length / 1000}k chars median (ms)`] = result.medianNs / 1e6;
          row[`${length / 1000}k chars p95 (ms)`] = result.p95Ns / 1e6;
        }
        row['100k ÷ 10k time'] = medians[1]! / medians[0]!;
        rows.push(row);
      }
    }
    return {
      tables: [
        {
          title: 'count() on unbroken runs (a fresh text each sample)',
          rows,
          notes: [
            'Linear growth makes the 100k ÷ 10k ratio about 10; quadratic growth would make it about 100.',
          ],
        },
      ],
    };
  },
});
