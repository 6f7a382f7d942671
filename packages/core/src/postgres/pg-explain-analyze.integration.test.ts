import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { describeWithService, randomTestId } from '../testing/services';
import { pgExplainAnalyze } from './pg-explain-analyze';

describeWithService('DATABASE_URL', 'pgExplainAnalyze on real PostgreSQL', (databaseUrl) => {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const table = randomTestId('explain_');
  const count = async () => (await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
  beforeAll(() => pool.query(`CREATE TABLE ${table} (id int)`));
  afterAll(async () => {
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.end();
  });

  it('explains a parameterless statement', async () => {
    const plan = await pgExplainAnalyze(pool)({ sql: `SELECT * FROM ${table};`, params: [] });
    expect(plan).toMatch(/Execution Time/);
  });

  // Without parameters node-postgres used the simple protocol, which runs several statements: the
  // COMMIT ended the read-only transaction and the INSERT ran outside it.
  it('keeps a parameterless statement inside its read-only transaction', async () => {
    const explain = pgExplainAnalyze(pool);
    const escaping = `SELECT 1; COMMIT; INSERT INTO ${table} VALUES (1)`;
    await expect(explain({ sql: escaping, params: [] })).rejects.toBeInstanceOf(ValidationError);
    expect(await count()).toBe(0);

    // The driver itself refuses several statements when the guard is bypassed with a `;`-free write.
    await expect(explain({ sql: `INSERT INTO ${table} VALUES (2)`, params: [] })).rejects.toThrow(
      /read-only transaction/,
    );
    expect(await count()).toBe(0);
  });

  it('sends even a `;`-free statement through the extended protocol', async () => {
    const seen: unknown[] = [];
    const spyPool = {
      connect: async () => {
        const client = await pool.connect();
        return {
          query: (...args: unknown[]) => {
            seen.push(args[0]);
            return (client.query as (...a: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>)(
              ...args,
            );
          },
          release: (error?: Error | boolean) => client.release(error),
        };
      },
    };
    await pgExplainAnalyze(spyPool as never)({ sql: `SELECT * FROM ${table}`, params: [] });
    expect(seen).toContainEqual(expect.objectContaining({ queryMode: 'extended' }));
  });
});
