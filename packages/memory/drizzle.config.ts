import { defineConfig } from 'drizzle-kit';

// Generates the SQL migrations under ./drizzle from the pg-core schema. No database is needed; after
// generating, `pnpm --filter @neptune/memory db:embed` copies the SQL into src/drizzle/migrations.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/drizzle/schema.ts',
  out: './drizzle',
});
