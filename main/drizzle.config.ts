import { defineConfig } from 'drizzle-kit';

// Local SQLite migrations: generated from main/db/schema.ts, only ever added, applied on open.
export default defineConfig({
  dialect: 'sqlite',
  schema: './main/db/schema.ts',
  out: './main/db/migrations',
});
