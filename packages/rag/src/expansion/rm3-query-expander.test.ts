import { ConfigurationError, ValidationError } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import { englishAnalyzer } from '../analysis/english-analyzer';
import { rm3QueryExpander } from './rm3-query-expander';

const feedback = [
  'Myocardial infarction, commonly called a heart attack, happens when blood flow to the heart muscle stops. Myocardial damage follows within minutes.',
  'We studied patients after myocardial infarction: cardiac troponin rose in every patient, and the infarction size predicted outcomes.',
  'Coronary artery disease and coronary diseases of the small vessels are the usual causes of a heart attack.',
  'Cardiac rehabilitation after infarction lowers mortality; we were surprised how much it was used from the first week.',
];

function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of englishAnalyzer(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

async function expandOnce(query: string, passages: readonly string[], options = {}) {
  const variations = await rm3QueryExpander(options).expand(query, { count: 3, feedback: passages });
  expect(variations).toHaveLength(1);
  return variations[0]!;
}

describe('rm3QueryExpander', () => {
  it('returns one expanded query: the original first, then terms learnt from the feedback', async () => {
    const expanded = await expandOnce('heart attack', feedback);
    expect(expanded.startsWith('heart attack')).toBe(true);
    const feedbackTerms = new Set(feedback.flatMap((text) => englishAnalyzer(text)));
    const queryTerms = new Set(englishAnalyzer('heart attack'));
    const added = [...termCounts(expanded).keys()].filter((term) => !queryTerms.has(term));
    expect(added.length).toBeGreaterThanOrEqual(3);
    for (const term of added) expect(feedbackTerms).toContain(term);
    expect(added).toEqual(expect.arrayContaining(['myocardi', 'infarct']));
  });

  it('keeps every original term at least as heavy as any expansion term, even when feedback is dominated by one word', async () => {
    const query = 'risk factors for stroke in young adults with migraine and smoking';
    const passages = [
      'aura aura aura aura aura aura aura aura aura aura stroke',
      'aura with migraine aura aura aura aura aura',
      'aura aura young aura aura aura adults',
    ];
    const counts = termCounts(await expandOnce(query, passages));
    const queryTerms = new Set(englishAnalyzer(query));
    const lightestQueryTerm = Math.min(...[...queryTerms].map((term) => counts.get(term) ?? 0));
    const heaviestExpansion = Math.max(
      ...[...counts].filter(([term]) => !queryTerms.has(term)).map(([, count]) => count),
    );
    expect(counts.get('aura')).toBeGreaterThan(0);
    expect(lightestQueryTerm).toBeGreaterThanOrEqual(heaviestExpansion);
  });

  it('writes words whose analysis is the expansion term, where the stem itself would not analyse back to it', async () => {
    // Porter stems "disease" to "diseas", but "diseas" to "disea": the stem cannot be written as is.
    expect(englishAnalyzer('diseas')).toEqual(['disea']);
    const passages = ['disease diseases disease outbreak', 'diseases of the liver disease', 'disease burden'];
    const expanded = await expandOnce('liver outbreak', passages);
    expect(expanded).toMatch(/\bdiseases?\b/);
    expect(expanded).not.toMatch(/\bdiseas\b/);
    const counts = termCounts(expanded);
    expect(counts.get('diseas')).toBeGreaterThan(0);
    expect(counts.has('disea')).toBe(false);
  });

  it('is deterministic', async () => {
    const first = await expandOnce('heart attack', feedback);
    expect(await expandOnce('heart attack', feedback)).toBe(first);
    expect(await rm3QueryExpander().expand('heart attack', { count: 1, feedback })).toEqual([first]);
  });

  it('does not use function words or numbers as expansion terms', async () => {
    const counts = termCounts(await expandOnce('heart attack', feedback));
    for (const term of ['we', 'were', 'from', 'it', 'everi']) expect(counts.has(term)).toBe(false);
    const withNumbers = termCounts(
      await expandOnce('trial outcome', ['95 95 95 trial cohort', '95 cohort 2019 2019']),
    );
    expect(withNumbers.has('95')).toBe(false);
    expect(withNumbers.has('cohort')).toBe(true);
  });

  it('learns only from the first feedbackDocuments passages, the top one weighing most', async () => {
    const passages = ['insulin glucose insulin', 'metformin metformin metformin metformin'];
    const onlyFirst = termCounts(await expandOnce('diabetes treatment', passages, { feedbackDocuments: 1 }));
    expect(onlyFirst.has('insulin')).toBe(true);
    expect(onlyFirst.has('metformin')).toBe(false);
    const both = termCounts(await expandOnce('diabetes treatment', passages));
    expect(both.get('insulin')).toBeGreaterThanOrEqual(both.get('metformin') ?? 0);
    const uniform = termCounts(
      await expandOnce('diabetes treatment', passages, { feedbackWeighting: 'uniform' }),
    );
    expect(uniform.get('metformin')).toBeGreaterThan(uniform.get('insulin') ?? 0);
  });

  it('returns nothing without feedback, for zero variations, or when the feedback teaches nothing', async () => {
    const expander = rm3QueryExpander();
    expect(await expander.expand('heart attack', { count: 1 })).toEqual([]);
    expect(await expander.expand('heart attack', { count: 1, feedback: [] })).toEqual([]);
    expect(await expander.expand('heart attack', { count: 0, feedback })).toEqual([]);
    expect(await expander.expand('the of', { count: 1, feedback })).toEqual([]);
    expect(await expander.expand('heart attack', { count: 1, feedback: ['we were from it 42'] })).toEqual([]);
  });

  it('works with another analyzer', async () => {
    const lowerCaseWords = (text: string) => text.toLowerCase().match(/[a-z]+/g) ?? [];
    const expanded = await rm3QueryExpander({ analyzer: lowerCaseWords, stopWords: [] }).expand('Heart', {
      count: 1,
      feedback: ['Cardiac cardiac heart'],
    });
    expect(expanded).toHaveLength(1);
    expect(lowerCaseWords(expanded[0]!)).toContain('cardiac');
  });

  it('refuses bad options and arguments', async () => {
    expect(() => rm3QueryExpander({ originalQueryWeight: 1 })).toThrow(ConfigurationError);
    expect(() => rm3QueryExpander({ originalQueryWeight: 0 })).toThrow(/original query is always kept/);
    expect(() => rm3QueryExpander({ analyzer: 'english' as never })).toThrow(/analyzer/);
    await expect(rm3QueryExpander().expand('', { count: 1, feedback })).rejects.toThrow(ValidationError);
  });
});
