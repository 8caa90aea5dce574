// Named statements on node-postgres go straight to the driver (not through drizzle's prepared
// query, a fixed cost on each of a request's ~10 statements), with drizzle's type parsers: the
// rows read back are the ones drizzle's execute returns, inside a transaction as on the pool.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, rowsOf, type OpenDatabase } from '../db/client.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-server.js';
import { executeNamed } from './named-statement.js';

let database: TestDatabase;
let opened: OpenDatabase;

beforeAll(async () => {
  database = await createTestDatabase('named_statement');
  opened = await openDatabase({ databaseUrl: database.url });
});
afterAll(async () => {
  await opened?.close();
  await database?.drop();
});

// Every type whose parsing drizzle changes (kept as PostgreSQL spells them), and a few it does not.
const everyType = (n: number) => sql`select ${n}::int as n,
  timestamptz '2026-11-30 12:34:56.789+00' + make_interval(secs => ${n}) as at,
  timestamp '2026-11-30 12:34:56' as local_at, date '2026-11-30' as day, interval '1 day 2 hours' as span,
  array[1.5, 2.25]::numeric[] as amounts, array[timestamp '2026-01-01 00:00:00'] as locals,
  array[timestamptz '2026-01-01 00:00:00+00'] as instants, array[interval '1 hour'] as spans,
  array[date '2026-01-01'] as days, 12345678901234::int8 as big, 1.25::numeric as amount,
  '{"a":[1,2]}'::jsonb as doc, true as yes, array[1, 2]::int[] as ints, null::text as nothing`;

describe('executeNamed on node-postgres', () => {
  it('reads the rows drizzle reads, on the pool and in a transaction, without drizzle prepared queries', async () => {
    const expected = rowsOf(await opened.db.execute(everyType(1)));
    const session = (opened.db as unknown as { session: { prepareQuery: (...args: unknown[]) => unknown } }).session;
    const prepare = vi.spyOn(session, 'prepareQuery');
    try {
      expect(rowsOf(await executeNamed(opened.db, everyType(1)))).toEqual(expected);
      // Again on the same connections: the statement is prepared there already.
      expect(rowsOf(await executeNamed(opened.db, everyType(1)))).toEqual(expected);
      const inTransaction = await opened.db.transaction(async (tx) => rowsOf(await executeNamed(tx, everyType(1))));
      expect(inTransaction).toEqual(expected);
      expect(prepare).not.toHaveBeenCalled();
    } finally {
      prepare.mockRestore();
    }
    expect(expected[0]).toMatchObject({ at: '2026-11-30 12:34:57.789+00', day: '2026-11-30', span: '1 day 02:00:00' });
  });

  it('rolls back with its transaction, and reports the database refusing a statement', async () => {
    await opened.db.execute(sql`create table named_probe (id int primary key)`);
    await expect(
      opened.db.transaction(async (tx) => {
        await executeNamed(tx, sql`insert into named_probe values (${1})`);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(rowsOf(await opened.db.execute(sql`select count(*)::int as n from named_probe`))).toEqual([{ n: 0 }]);
    await executeNamed(opened.db, sql`insert into named_probe values (${1})`);
    await expect(executeNamed(opened.db, sql`insert into named_probe values (${1})`)).rejects.toMatchObject({
      message: expect.stringMatching(/^Failed query: insert into named_probe/),
      cause: { code: '23505' },
    });
  });
});
