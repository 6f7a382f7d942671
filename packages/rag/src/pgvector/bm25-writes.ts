import { ConfigurationError, type Metadata, type ScopeKeys } from '@neptune/core';
import { type PostgresDatabase, type QueryRunner, scopeValues } from '@neptune/core/postgres/drizzle';
import { type SQL, sql } from 'drizzle-orm';
import { englishAnalyzer } from '../analysis/english-analyzer';
import { encodeLengthNorm } from '../keyword/lucene-length-norm';
import type { Bm25TableNames } from './bm25-tables';
import { inBatches } from './record-batches';

/** A chunk's text as the BM25 tables hold it: analysed here, in TypeScript, by the memory index's analyzer. */
export interface AnalysedText {
  /** Terms in the text, repeats included (Lucene's field length). */
  readonly length: number;
  /** Each distinct term and how often it occurs. */
  readonly frequencies: ReadonlyMap<string, number>;
}

export function analyseText(text: string | null | undefined): AnalysedText {
  const frequencies = new Map<string, number>();
  if (text === null || text === undefined) return { length: 0, frequencies };
  const terms = englishAnalyzer(text);
  for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
  return { length: terms.length, frequencies };
}

/** The chunk table's BM25 columns for an analysed text. */
function bm25Columns(analysed: AnalysedText): { bm25Length: number; bm25Terms: string[] } {
  return { bm25Length: analysed.length, bm25Terms: [...analysed.frequencies.keys()] };
}

/** A chunk row's columns but its vector: scope, id, text, metadata and the BM25 columns. */
export function chunkRowValues(
  keys: ScopeKeys,
  row: { readonly id: string; readonly text: string | null; readonly metadata: Metadata },
  analysed: AnalysedText,
) {
  return {
    ...scopeValues(keys),
    id: row.id,
    text: row.text,
    metadata: row.metadata,
    ...bm25Columns(analysed),
  };
}

/** What rewriting a chunk row replaces (`ON CONFLICT … DO UPDATE SET`); a vector store adds `embedding`. */
export function chunkRowUpdates() {
  return {
    text: sql`excluded.text`,
    metadata: sql`excluded.metadata`,
    bm25Length: sql`excluded.bm25_length`,
    bm25Terms: sql`excluded.bm25_terms`,
  };
}

/** `user_scope` of a scope's rows: the user id, or '' for workspace-level rows (ids are never empty). */
export function userScopeOf(keys: ScopeKeys): string {
  return keys.filter.userId ?? '';
}

/**
 * Serialises writers of one scope for the rest of the transaction (advisory locks, released at commit):
 * replacing or removing a chunk reads the terms it was indexed with, which a concurrent writer of the same
 * chunk could be changing. A scope's writer holds its workspace's lock shared, so writers of different
 * users never wait for each other; clearing a whole workspace takes it exclusively.
 */
export function lockScopeSql(names: Bm25TableNames, keys: ScopeKeys, wholeWorkspace = false): SQL {
  const workspaceKey = JSON.stringify([names.lockPrefix, keys.filter.workspaceId]);
  if (wholeWorkspace) return sql`SELECT pg_advisory_xact_lock(hashtextextended(${workspaceKey}, 0))`;
  const scopeKey = JSON.stringify([names.lockPrefix, keys.filter.workspaceId, userScopeOf(keys)]);
  return sql`SELECT pg_advisory_xact_lock_shared(hashtextextended(${workspaceKey}, 0)), pg_advisory_xact_lock(hashtextextended(${scopeKey}, 0))`;
}

/**
 * Takes chunks out of the statistics in one statement: `source` yields the chunks (`workspace_id,
 * user_scope, id, bm25_length, bm25_terms`; a `DELETE … RETURNING` of the chunk table, or a `SELECT` of
 * rows about to be replaced). Their postings go, their terms' document frequencies and their scopes'
 * counts and total lengths drop by exactly what they added. Returns `removed`: how many chunks.
 *
 * The uncorrelated `EXISTS` is a one-time filter: when no chunk goes (every chunk of an ingestion is
 * new), the postings join is never run. Without it, a bulk load (postings key dropped) sorted every
 * posting so far for each batch, whatever the batch replaced: quadratic, 1.2 s a batch at 3,000 chunks.
 */
export function unindexSql(names: Bm25TableNames, source: SQL): SQL {
  const postings = sql.raw(names.postings);
  const frequencies = sql.raw(names.documentFrequencies);
  const scopes = sql.raw(names.scopes);
  return sql`WITH gone AS (${source}),
gone_postings AS (
  DELETE FROM ${postings} p
  USING (SELECT workspace_id, user_scope, id, unnest(bm25_terms) AS term FROM gone WHERE bm25_length > 0) g
  WHERE EXISTS (SELECT 1 FROM gone WHERE bm25_length > 0)
    AND p.workspace_id = g.workspace_id AND p.user_scope = g.user_scope AND p.term = g.term AND p.id = g.id
  RETURNING p.workspace_id, p.user_scope, p.term
),
lower_frequencies AS (
  UPDATE ${frequencies} f SET df = f.df - g.n
  FROM (SELECT workspace_id, user_scope, term, count(*)::integer AS n FROM gone_postings GROUP BY workspace_id, user_scope, term) g
  WHERE f.workspace_id = g.workspace_id AND f.user_scope = g.user_scope AND f.term = g.term
),
lower_totals AS (
  UPDATE ${scopes} s SET doc_count = s.doc_count - g.documents, total_length = s.total_length - g.length
  FROM (SELECT workspace_id, user_scope, count(*) AS documents, sum(bm25_length) AS length FROM gone WHERE bm25_length > 0 GROUP BY workspace_id, user_scope) g
  WHERE s.workspace_id = g.workspace_id AND s.user_scope = g.user_scope
)
SELECT count(*)::integer AS removed FROM gone`;
}

/**
 * Adds analysed chunks of one scope to the statistics in one statement: their postings (one multi-row
 * insert from a JSON parameter, whatever the number of chunks), +1 to each term's document frequency and
 * the chunk count and total length of the scope (row-level upserts with increments, in term order so that
 * two writers never wait for each other's rows in opposite orders). Undefined when no chunk has a term.
 * `rowsStatement` (the chunk rows' INSERT) runs in the same statement: the CTEs touch different tables.
 */
export function indexSql(
  names: Bm25TableNames,
  keys: ScopeKeys,
  documents: readonly { readonly id: string; readonly analysed: AnalysedText }[],
  rowsStatement?: SQL,
): SQL | undefined {
  const rows = documents
    .filter((document) => document.analysed.length > 0)
    .map(({ id, analysed }) => ({
      id,
      length: analysed.length,
      norm: encodeLengthNorm(analysed.length),
      terms: Object.fromEntries(analysed.frequencies),
    }));
  if (rows.length === 0) return undefined;
  const workspaceId = keys.filter.workspaceId;
  const userScope = userScopeOf(keys);
  const postings = sql.raw(names.postings);
  const frequencies = sql.raw(names.documentFrequencies);
  const scopes = sql.raw(names.scopes);
  // The chunk rows' own INSERT, when given, runs as the first CTE: one statement, one round trip.
  const rowsFirst =
    rowsStatement === undefined
      ? sql``
      : sql`written AS (${rowsStatement}),
`;
  return sql`WITH ${rowsFirst}doc AS (
  SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json) AS d(id text, length integer, norm smallint, terms json)
),
posting AS (
  SELECT doc.id, t.key AS term, t.value::integer AS tf, doc.norm FROM doc, json_each_text(doc.terms) AS t
),
new_postings AS (
  INSERT INTO ${postings} (workspace_id, user_scope, term, id, tf, norm)
  SELECT ${workspaceId}::text, ${userScope}::text, term, id, tf, norm FROM posting
),
raise_frequencies AS (
  INSERT INTO ${frequencies} AS f (workspace_id, user_scope, term, df)
  SELECT ${workspaceId}::text, ${userScope}::text, term, count(*)::integer FROM posting GROUP BY term ORDER BY term
  ON CONFLICT (workspace_id, user_scope, term) DO UPDATE SET df = f.df + excluded.df
)
INSERT INTO ${scopes} AS s (workspace_id, user_scope, doc_count, total_length)
SELECT ${workspaceId}::text, ${userScope}::text, count(*), sum(length) FROM doc
ON CONFLICT (workspace_id, user_scope) DO UPDATE
SET doc_count = s.doc_count + excluded.doc_count, total_length = s.total_length + excluded.total_length`;
}

type Transaction = Parameters<Parameters<PostgresDatabase['transaction']>[0]>[0];

/**
 * Runs `work` in one transaction. A write changes the rows and the BM25 statistics together, so it needs
 * a driver with interactive transactions; on neon-http (which has none) it says which driver to use.
 */
export async function inTransaction<T>(
  runner: QueryRunner,
  what: string,
  work: (transaction: Transaction) => Promise<T>,
): Promise<T> {
  try {
    return await runner.db.transaction(work);
  } catch (error) {
    if (error instanceof Error && /no transactions support/i.test(error.message)) {
      throw new ConfigurationError({
        message: `${what} writes rows and their BM25 statistics in one transaction, and this driver has none (neon-http). Write through drizzle-orm/neon-serverless or drizzle-orm/node-postgres; searches and vector queries work on neon-http.`,
        cause: error,
      });
    }
    throw error;
  }
}

/** Rows of a `db.execute` result: node-postgres, PGlite and Neon all return them as `rows`. */
export function resultRows<Row>(result: unknown): Row[] {
  return ((result as { rows?: Row[] } | undefined)?.rows ?? []) as Row[];
}

/** A document to write with its analysis. */
export interface AnalysedDocument<Document> {
  readonly document: Document;
  readonly analysed: AnalysedText;
}

export interface IndexedWrite<Document extends { readonly id: string }> {
  readonly runner: QueryRunner;
  readonly names: Bm25TableNames;
  readonly operation: string;
  readonly keys: ScopeKeys;
  /** Chunks of `keys`' scope, each id once; never none (the define functions skip an empty write). */
  readonly documents: readonly Document[];
  /** The text a chunk is searched by (null for none). */
  readonly textOf: (document: Document) => string | null | undefined;
  /** The statement writing one batch of chunk rows (with `bm25Columns`), built on the database it is given. */
  readonly writeRows: (db: PostgresDatabase, batch: readonly AnalysedDocument<Document>[]) => SQL;
}

/**
 * Writes chunks and their BM25 statistics in one transaction, under the scope's lock: for each batch,
 * the replaced chunks' terms come out of the statistics, the rows are written, and the new terms go in.
 * A failure anywhere rolls all of it back, so the statistics always describe exactly the rows.
 */
export async function writeIndexed<Document extends { readonly id: string }>(
  write: IndexedWrite<Document>,
): Promise<void> {
  const { runner, names, keys } = write;
  const analysed = write.documents.map((document) => ({
    document,
    analysed: analyseText(write.textOf(document)),
  }));
  const chunks = sql.raw(names.chunks);
  await runner.run(write.operation, keys, () =>
    inTransaction(runner, `${runner.storeName}.${write.operation}`, async (transaction) => {
      await transaction.execute(lockScopeSql(names, keys));
      for (const batch of inBatches(analysed)) {
        const ids = JSON.stringify(batch.map((item) => item.document.id));
        await transaction.execute(
          unindexSql(
            names,
            // One primary-key lookup per id (the lateral subquery, kept apart by OFFSET 0, is probed with
            // each id): a table never analysed (a bulk load, autovacuum off) was otherwise planned as a
            // scan of the whole scope filtered by id, for every batch, which made a load quadratic.
            sql`SELECT c.workspace_id, c.user_scope, c.id, c.bm25_length, c.bm25_terms
  FROM json_array_elements_text(${ids}::json) AS wanted(id)
  CROSS JOIN LATERAL (
    SELECT workspace_id, user_scope, id, bm25_length, bm25_terms FROM ${chunks}
    WHERE workspace_id = ${keys.filter.workspaceId} AND user_scope = ${userScopeOf(keys)}
      AND id = wanted.id AND bm25_length > 0
    OFFSET 0
  ) c`,
          ),
        );
        const rows = write.writeRows(transaction, batch);
        const documents = batch.map((item) => ({ id: item.document.id, analysed: item.analysed }));
        await transaction.execute(indexSql(names, keys, documents, rows) ?? rows);
      }
    }),
  );
}

/**
 * Deletes the chunk rows `where` selects, in one scope (or a whole workspace with `wholeWorkspace`), and
 * takes them out of the statistics in the same statement; returns how many rows went.
 */
export async function deleteIndexed(
  runner: QueryRunner,
  names: Bm25TableNames,
  operation: string,
  keys: ScopeKeys,
  where: SQL,
): Promise<number> {
  const chunks = sql.raw(names.chunks);
  const result = await runner.run(
    operation,
    keys,
    () =>
      inTransaction(runner, `${runner.storeName}.${operation}`, async (transaction) => {
        await transaction.execute(lockScopeSql(names, keys));
        return transaction.execute(
          unindexSql(
            names,
            sql`DELETE FROM ${chunks} WHERE ${where} RETURNING workspace_id, user_scope, id, bm25_length, bm25_terms`,
          ),
        );
      }),
    (rows) => Number(resultRows<{ removed: number }>(rows)[0]?.removed ?? 0),
  );
  return Number(resultRows<{ removed: number }>(result)[0]?.removed ?? 0);
}

/**
 * Clears a scope: a workspace scope takes its users' rows and statistics too, under the workspace's
 * exclusive lock; a user scope only its own. Whole scopes go, so their statistics are simply deleted.
 */
export async function clearIndexed(
  runner: QueryRunner,
  names: Bm25TableNames,
  keys: ScopeKeys,
  where: SQL,
): Promise<number> {
  const wholeWorkspace = keys.filter.userId === null;
  const scope = wholeWorkspace
    ? sql`workspace_id = ${keys.filter.workspaceId}`
    : sql`workspace_id = ${keys.filter.workspaceId} AND user_scope = ${userScopeOf(keys)}`;
  const result = await runner.run(
    'clear',
    keys,
    () =>
      inTransaction(runner, `${runner.storeName}.clear`, async (transaction) => {
        await transaction.execute(lockScopeSql(names, keys, wholeWorkspace));
        return transaction.execute(sql`WITH gone AS (DELETE FROM ${sql.raw(names.chunks)} WHERE ${where} RETURNING 1),
gone_postings AS (DELETE FROM ${sql.raw(names.postings)} WHERE ${scope}),
gone_frequencies AS (DELETE FROM ${sql.raw(names.documentFrequencies)} WHERE ${scope}),
gone_totals AS (DELETE FROM ${sql.raw(names.scopes)} WHERE ${scope})
SELECT count(*)::integer AS removed FROM gone`);
      }),
    (rows) => Number(resultRows<{ removed: number }>(rows)[0]?.removed ?? 0),
  );
  return Number(resultRows<{ removed: number }>(result)[0]?.removed ?? 0);
}
