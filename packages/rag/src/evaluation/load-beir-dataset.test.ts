import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, ValidationError } from '@neptune/core';
import { describe, expect, it } from 'vitest';
import { loadBeirDataset, parseBeirCorpus, parseBeirQrels, parseBeirQueries } from './load-beir-dataset';

describe('BEIR parsing', () => {
  it('reads qrels with a header row and CRLF line endings', () => {
    const qrels = parseBeirQrels(
      'query-id\tcorpus-id\tscore\r\n1\t31715818\t1\r\n1\t42\t0\r\n3\t14717500\t2\r\n',
    );
    expect([...qrels.keys()]).toEqual(['1', '3']);
    expect(qrels.get('1')).toEqual(
      new Map([
        ['31715818', 1],
        ['42', 0],
      ]),
    );
    expect(qrels.get('3')?.get('14717500')).toBe(2);
  });

  it('reads a corpus and queries, with numeric ids as strings and a missing title as empty', () => {
    expect(
      parseBeirCorpus('{"_id": 4983, "title": "T", "text": "Body"}\n{"_id": "x", "text": "No title"}\n'),
    ).toEqual([
      { id: '4983', title: 'T', text: 'Body' },
      { id: 'x', title: '', text: 'No title' },
    ]);
    expect(parseBeirQueries('{"_id": "1", "text": "a claim"}\r\n')).toEqual(new Map([['1', 'a claim']]));
  });

  it('names the file and line of a malformed record', () => {
    expect(() => parseBeirCorpus('{"_id": "1", "text": "ok"}\n{not json}\n')).toThrow(
      /corpus.jsonl line 2 is not valid JSON/,
    );
    expect(() => parseBeirQueries('{"_id": "1"}')).toThrow(ValidationError);
    expect(() => parseBeirQrels('query-id\tcorpus-id\tscore\n1\t2\n')).toThrow(/qrels line 2/);
  });
});

describe('loadBeirDataset', () => {
  it('loads a dataset folder', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'beir-'));
    try {
      await mkdir(join(directory, 'qrels'));
      await writeFile(join(directory, 'corpus.jsonl'), '{"_id": "d1", "title": "T", "text": "X"}\n');
      await writeFile(join(directory, 'queries.jsonl'), '{"_id": "q1", "text": "Q"}\n');
      await writeFile(join(directory, 'qrels', 'dev.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\n');
      const dataset = await loadBeirDataset(directory, { split: 'dev' });
      expect(dataset.corpus).toHaveLength(1);
      expect(dataset.queries.get('q1')).toBe('Q');
      expect(dataset.qrels.get('q1')?.get('d1')).toBe(1);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('says which file is missing and what the folder must hold', async () => {
    const error = await loadBeirDataset('/nonexistent/beir').catch((caught: unknown) => caught);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /\/nonexistent\/beir\/.*corpus\.jsonl, queries\.jsonl and qrels\/test\.tsv/,
    );
  });
});
