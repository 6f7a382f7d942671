/**
 * True for a drizzle Postgres database (node-postgres, Neon, PGlite, postgres.js): what every Neptune
 * drizzle store uses of it, checked without importing drizzle.
 */
export function isDrizzlePostgresDatabase(value: unknown): boolean {
  const candidate = value as Partial<Record<'select' | 'insert' | 'delete' | 'execute', unknown>>;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof candidate.select === 'function' &&
    typeof candidate.insert === 'function' &&
    typeof candidate.delete === 'function' &&
    typeof candidate.execute === 'function'
  );
}
