import { describe, expect, it } from 'vitest';
import { subjectsMatch } from './fact-subject';
import { findEntities } from './find-entities';
import { findFacts } from './find-facts';

const facts = (text: string) => findFacts(text, findEntities).map((fact) => [fact.subject, fact.text]);

describe('findFacts', () => {
  it('finds statements with their subjects and splits joined ones', () => {
    expect(facts('Hi! Our budget is $40k and the launch date is September 15.')).toEqual([
      ['budget', 'Our budget is $40k'],
      ['launch date', 'the launch date is September 15'],
    ]);
    expect(facts('Update: leadership pushed the deadline to April 30.')).toEqual([
      ['deadline', 'leadership pushed the deadline to April 30'],
    ]);
    expect(facts('Their procurement lead, Daniel Kim, wants $72 per seat.')).toEqual([
      ['procurement lead', 'Their procurement lead, Daniel Kim, wants $72 per seat'],
    ]);
    expect(facts('We want to hire 4 support agents this year.')).toEqual([
      ['hire:agents', 'We want to hire 4 support agents this year'],
    ]);
    expect(facts('I prefer short bullet-point summaries.')).toEqual([
      ['preference:summaries', 'I prefer short bullet-point summaries'],
    ]);
  });

  it('skips questions, pleasantries and proposals to talk', () => {
    expect(facts('What is our budget? Thanks! Sounds good. Can you check the deadline?')).toEqual([]);
    expect(facts("Let's review the pipeline for this quarter.")).toEqual([]);
  });
});

describe('subjectsMatch', () => {
  it('matches a subject and its head noun, never statements or different verbs', () => {
    expect(subjectsMatch('deadline', 'migration deadline')).toBe(true);
    expect(subjectsMatch('Budget', 'budget')).toBe(true);
    expect(subjectsMatch('budget', 'catering budget')).toBe(true);
    expect(subjectsMatch('catering budget', 'travel budget')).toBe(false);
    expect(subjectsMatch('hire:agents', 'need:agents')).toBe(false);
    expect(subjectsMatch('statement:x', 'statement:x')).toBe(false);
  });
});
