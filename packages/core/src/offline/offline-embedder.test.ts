import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbortError, ConfigurationError, ValidationError } from '../errors';
import { locateDataset } from '../testing/datasets';
import { dot } from '../vector-math';
import { offlineEmbedder } from './offline-embedder';

const scifact = locateDataset('scifact');

describe('offlineEmbedder', () => {
  it('is deterministic, L2-normalised and of the configured dimension', async () => {
    const embedder = offlineEmbedder({ dimensions: 256 });
    const [first, second] = await embedder.embed([
      'Vitamin D deficiency and bone density',
      'Vitamin D deficiency and bone density',
    ]);
    expect(first).toHaveLength(256);
    expect(Array.from(first!)).toEqual(Array.from(second!));
    expect(dot(first!, first!)).toBeCloseTo(1, 5);
    const [again] = await offlineEmbedder({ dimensions: 256 }).embed([
      'Vitamin D deficiency and bone density',
    ]);
    expect(Array.from(again!)).toEqual(Array.from(first!));
  });

  it('places texts that share words and stems closer than unrelated ones', async () => {
    const embedder = offlineEmbedder();
    const [query, related, inflected, unrelated] = await embedder.embed([
      'insulin resistance in obese patients',
      'Obese patients often develop resistance to insulin.',
      'insulin-resistant obesity in a patient',
      'The telescope observed a distant galaxy cluster.',
    ]);
    expect(dot(query!, related!)).toBeGreaterThan(dot(query!, unrelated!) + 0.3);
    expect(dot(query!, inflected!)).toBeGreaterThan(dot(query!, unrelated!) + 0.2);
  });

  it('keeps CJK text meaningful by splitting it into characters', async () => {
    const embedder = offlineEmbedder();
    const [a, b, c] = await embedder.embed(['東京の天気は晴れです', '東京は晴れ', 'データベースの索引']);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
  });

  it.skipIf(scifact === undefined)(
    'finds each SciFact abstract from its title among 500 abstracts',
    async () => {
      const documents = readFileSync(join(scifact!, 'corpus.jsonl'), 'utf8')
        .split('\n')
        .slice(0, 500)
        .map((line) => JSON.parse(line) as { title: string; text: string });
      const embedder = offlineEmbedder();
      const abstracts = await embedder.embed(documents.map((document) => document.text));
      const titles = await embedder.embed(documents.map((document) => document.title));
      let found = 0;
      titles.forEach((title, index) => {
        let best = -1;
        let bestScore = Number.NEGATIVE_INFINITY;
        abstracts.forEach((abstract, candidate) => {
          const score = dot(title, abstract);
          if (score > bestScore) [best, bestScore] = [candidate, score];
        });
        if (best === index) found++;
      });
      // Random ranking would find about 1 of 500; word overlap between a title and its abstract should find most.
      expect(found / documents.length).toBeGreaterThan(0.8);
    },
  );

  it('refuses empty texts and bad options with typed errors', async () => {
    const embedder = offlineEmbedder();
    await expect(embedder.embed(['fine', '   '])).rejects.toSatisfy(
      (error) =>
        ValidationError.isInstance(error) &&
        /texts to embed: 1: must not be empty/.test((error as Error).message),
    );
    expect(() => offlineEmbedder({ dimensions: 0 })).toThrow(ConfigurationError);
    expect(() => offlineEmbedder({ dimensions: 12.5 })).toThrow(/dimensions/);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(offlineEmbedder().embed(['text'], { signal: controller.signal })).rejects.toBeInstanceOf(
      AbortError,
    );
  });
});
