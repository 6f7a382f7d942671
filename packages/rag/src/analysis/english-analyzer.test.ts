import { describe, expect, it } from 'vitest';
import { englishAnalyzer, standardAnalyzer } from './english-analyzer';
import { ENGLISH_STOP_WORDS } from './english-stop-words';

describe('englishAnalyzer', () => {
  it('runs tokenizer, possessive removal, lower case, stop words and Porter stemming in order', () => {
    expect(englishAnalyzer("The Runner's shoes are RUNNING in studies")).toEqual([
      'runner',
      'shoe',
      'run',
      'studi',
    ]);
  });

  it('removes possessives before lower-casing, for every apostrophe form', () => {
    expect(englishAnalyzer("NEPTUNE'S Neptune’s neptune＇s")).toEqual(['neptun', 'neptun', 'neptun']);
  });

  it('matches capitalised and lowercase forms of a word', () => {
    expect(englishAnalyzer('Cells CELLS cells')).toEqual(['cell', 'cell', 'cell']);
  });

  it('removes exactly the 33 Lucene English stop words', () => {
    expect(ENGLISH_STOP_WORDS.size).toBe(33);
    expect(englishAnalyzer([...ENGLISH_STOP_WORDS].join(' '))).toEqual([]);
    // Words other lists drop are kept: they matter in queries ("what causes", "has effect").
    expect(englishAnalyzer('what has been')).toEqual(['what', 'ha', 'been']);
  });

  it('lower-cases like Java: İ becomes i and a final Σ becomes σ', () => {
    expect(englishAnalyzer('İSTANBUL ΟΔΟΣ')).toEqual(['istanbul', 'οδοσ']);
  });

  it('keeps numbers as single terms', () => {
    expect(englishAnalyzer('1,000 patients at 3.5 mg')).toEqual(['1,000', 'patient', '3.5', 'mg']);
  });
});

describe('standardAnalyzer', () => {
  it('lower-cases without removing stop words or stemming', () => {
    expect(standardAnalyzer('The Runners are RUNNING')).toEqual(['the', 'runners', 'are', 'running']);
  });
});
