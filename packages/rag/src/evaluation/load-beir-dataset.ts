import { ConfigurationError, describeValue, parseOptions, ValidationError } from '@neptune/core';
import { z } from 'zod';
import type { Judgments, Qrels } from './qrels';

/** A document of a BEIR corpus. */
export interface BeirDocument {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

/** A BEIR test collection: the corpus, the queries, and the relevance judgments of one split. */
export interface BeirDataset {
  readonly corpus: readonly BeirDocument[];
  /** Query id → query text. May hold more queries than the split judges; evaluate over `qrels`. */
  readonly queries: ReadonlyMap<string, string>;
  readonly qrels: Qrels;
}

const loadOptionsShape = {
  /** Which `qrels/{split}.tsv` to read. Default `test`. */
  split: z.string().min(1, 'must name a split: test, dev or train').default('test'),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const loadOptionsSchema: z.ZodObject<typeof loadOptionsShape> = z.object(loadOptionsShape);

/** Options of `loadBeirDataset`. */
export type LoadBeirDatasetOptions = z.input<typeof loadOptionsSchema>;

const corpusLineSchema = z.object({
  _id: z.union([z.string(), z.number()]).transform(String),
  title: z.string().optional().default(''),
  text: z.string(),
});
const queryLineSchema = z.object({
  _id: z.union([z.string(), z.number()]).transform(String),
  text: z.string(),
});

function parseJsonLines<Schema extends z.ZodType>(
  content: string,
  schema: Schema,
  file: string,
): z.output<Schema>[] {
  const rows: z.output<Schema>[] = [];
  const lines = content.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ValidationError({
        message: `${file} line ${index + 1} is not valid JSON (${describeValue(line)}). BEIR files hold one JSON object per line.`,
        cause: error,
      });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new ValidationError({
        message: `${file} line ${index + 1} is not a BEIR record: ${parsed.error.issues[0]?.message} (received ${describeValue(value)}).`,
        cause: parsed.error,
      });
    }
    rows.push(parsed.data);
  }
  return rows;
}

/** Parses `corpus.jsonl`: one `{"_id", "title", "text"}` per line. */
export function parseBeirCorpus(content: string): BeirDocument[] {
  return parseJsonLines(content, corpusLineSchema, 'corpus.jsonl').map(({ _id, title, text }) => ({
    id: _id,
    title,
    text,
  }));
}

/** Parses `queries.jsonl`: one `{"_id", "text"}` per line. */
export function parseBeirQueries(content: string): Map<string, string> {
  return new Map(
    parseJsonLines(content, queryLineSchema, 'queries.jsonl').map(({ _id, text }) => [_id, text]),
  );
}

/** Parses a qrels TSV (`query-id corpus-id score`, with or without a header row, LF or CRLF). */
export function parseBeirQrels(content: string): Qrels {
  const qrels = new Map<string, Map<string, number>>();
  const lines = content.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    const [queryId, documentId, score] = line.split('\t');
    const relevance = Number(score);
    if (index === 0 && !Number.isFinite(relevance)) continue; // the header row
    if (
      queryId === undefined ||
      documentId === undefined ||
      score === undefined ||
      !Number.isInteger(relevance)
    ) {
      throw new ValidationError({
        message: `qrels line ${index + 1} should be "query-id<TAB>corpus-id<TAB>score" with an integer score, received ${describeValue(line)}.`,
      });
    }
    let judgments = qrels.get(queryId);
    if (judgments === undefined) {
      judgments = new Map();
      qrels.set(queryId, judgments);
    }
    judgments.set(documentId, relevance);
  }
  return qrels as Map<string, Judgments>;
}

/**
 * Reads a BEIR dataset folder (`corpus.jsonl`, `queries.jsonl`, `qrels/{split}.tsv`). Node only: the file
 * system is imported when called, so that importing `@neptune/rag` stays safe on edge runtimes.
 */
export async function loadBeirDataset(
  directory: string,
  options: LoadBeirDatasetOptions = {},
): Promise<BeirDataset> {
  const { split } = parseOptions(loadOptionsSchema, options, 'loadBeirDataset options');
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const read = async (...segments: string[]) => {
    const path = join(directory, ...segments);
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new ConfigurationError({
        message: `Cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'read error'}). Point loadBeirDataset at a BEIR dataset folder holding corpus.jsonl, queries.jsonl and qrels/${split}.tsv.`,
        cause: error,
        details: { path },
      });
    }
  };
  // Read in parallel, but report a missing file in a fixed order (corpus, queries, qrels), not by which
  // read happened to fail first.
  const reads = await Promise.allSettled([
    read('corpus.jsonl'),
    read('queries.jsonl'),
    read('qrels', `${split}.tsv`),
  ]);
  const [corpus, queries, qrels] = reads.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  }) as [string, string, string];
  return {
    corpus: parseBeirCorpus(corpus),
    queries: parseBeirQueries(queries),
    qrels: parseBeirQrels(qrels),
  };
}
