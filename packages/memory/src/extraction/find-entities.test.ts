import { describe, expect, it } from 'vitest';
import { findEntities } from './find-entities';
import { splitSentences } from './split-sentences';

const found = (text: string) => findEntities(text).map((entity) => `${entity.type}:${entity.name}`);

describe('findEntities', () => {
  it('finds contacts, amounts and dates without mistaking one for another', () => {
    expect(
      found('Call +49 30 1234 5678 or write to jonas.weber@northwind-freight.de before 2025-09-01.'),
    ).toEqual(['phone:+49 30 1234 5678', 'email:jonas.weber@northwind-freight.de', 'date:2025-09-01']);
    expect(found('The budget is $2.4M, up 15% from €40k, due by March 3 at 4pm CET.')).toEqual([
      'amount:$2.4M',
      'amount:15%',
      'amount:€40k',
      'date:March 3',
      'date:4pm CET',
    ]);
    // Years, counts and ids are not phone numbers.
    expect(found('We have 48,000 contacts and 300 seats in 2025.')).toEqual([]);
  });

  it('tells people, organisations, places and products apart', () => {
    expect(found('Sarah Chen from Acme Robotics Inc. moved to Lisbon and uses HubSpot.')).toEqual([
      'person:Sarah Chen',
      'organization:Acme Robotics Inc.',
      'place:Lisbon',
      'product:HubSpot',
    ]);
    expect(found('Dr. Amara Okafor will speak at the Hotel Arts in New York.')).toEqual([
      'person:Amara Okafor',
      'place:Hotel Arts',
      'place:New York',
    ]);
    // Sentence openers and titles are not names.
    expect(found('Thanks! Our CTO agreed. Great News Today.')).toEqual([]);
  });
});

describe('splitSentences', () => {
  it('splits on sentence ends but not inside decimals, emails or abbreviations', () => {
    expect(
      splitSentences('Dr. Kim joined Acme Inc. in May. Revenue hit $2.4M! Email a.b@c.io; thanks'),
    ).toEqual(['Dr. Kim joined Acme Inc. in May.', 'Revenue hit $2.4M!', 'Email a.b@c.io;', 'thanks']);
  });
});
