import { defineConfig } from 'drizzle-kit';

// Server PostgreSQL migrations: generated from server/db/schema.ts, only ever added, applied at
// start-up on both drivers (node-postgres and the embedded PGlite).
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema.ts',
  out: './server/db/migrations',
});
