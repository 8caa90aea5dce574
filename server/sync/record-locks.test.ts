// The push's first statement (record-locks.ts) also puts the rest of its transaction on generic
// plans, and only its transaction: a pull on the same connection afterwards must be planned as
// PostgreSQL chooses (a store's scoped pull on generic plans cost three times the CPU per row).
// On a real PostgreSQL, with one connection, so the statement after the push runs where it ran.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf, type OpenDatabase, type Queryable } from '../db/client.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-server.js';
import { lockRecords } from './record-locks.js';

let database: TestDatabase;
let open: OpenDatabase;

beforeAll(async () => {
  database = await createTestDatabase('record_locks');
  open = await openDatabase({ databaseUrl: database.url, poolSize: 1 });
});
afterAll(async () => {
  await open?.close();
  await database?.drop();
});

const planMode = async (db: Queryable) =>
  rowsOf<{ mode: string }>(await db.execute(sql`select current_setting('plan_cache_mode') as mode`))[0]!.mode;

describe('lockRecords', () => {
  it('returns the database clock once the records are locked', async () => {
    const before = Date.now();
    const now = await open.db.transaction((tx) => lockRecords(tx, [{ table: 'forms', id: randomUUID() }]));
    // The database's clock and this process's are one machine's here.
    expect(now!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(now!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("puts the rest of the push's transaction on generic plans, and nothing after it", async () => {
    const session = await planMode(open.db);
    expect(session).toBe('auto');
    const inside = await open.db.transaction(async (tx) => {
      await lockRecords(tx, [{ table: 'submissions', id: randomUUID() }]);
      return planMode(tx);
    });
    expect(inside).toBe('force_generic_plan');
    expect(await planMode(open.db)).toBe(session);

    // A push refused halfway rolls back, and the setting with it.
    await expect(
      open.db.transaction(async (tx) => {
        await lockRecords(tx, [{ table: 'submissions', id: randomUUID() }]);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await planMode(open.db)).toBe(session);
  });

  it('runs nothing for a push without rows', async () => {
    expect(await open.db.transaction((tx) => lockRecords(tx, []))).toBeNull();
  });
});
