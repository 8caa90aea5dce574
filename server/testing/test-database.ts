// A fresh, migrated PostgreSQL database open for one test file's tests, dropped after them: the
// set-up the database-level tests (watermarks, stored rows) share.
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type OpenDatabase } from '../db/client.js';
import { createTestDatabase, type TestDatabase } from './test-server.js';

export function useTestDatabase(prefix: string): { readonly db: OpenDatabase['db'] } {
  let database: TestDatabase | undefined;
  let open: OpenDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(prefix);
    open = await openDatabase({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await open?.close();
    await database?.drop();
  });
  return {
    get db() {
      if (!open) throw new Error('the test database is opened in beforeAll');
      return open.db;
    },
  };
}
