// What a push batch reads before deciding, in ONE statement (each statement costs the server and
// PostgreSQL a round trip, a parse and a plan, about as much as 100 rows of the batch): the rows the
// server holds of the batch's records, as the wire JSON a pull serves (wire-json.ts) with their
// positions and edit times, and which of the parents the batch names exist (parents.ts). Read
// after the records are locked and after the tables before this one were written, so a parent
// pushed earlier in the same push is there.
//
// The push's first batch is read in the push state's statement (push-state.ts), a round trip less.
//
// Each id is looked up by its primary key, one probe per id, whatever the table's size or
// statistics: `id = any($ids)` let the planner pick a sequential scan of the whole table (the
// bench's tables, freshly filled and never analysed, at 10-20k rows: 2-3 ms of PostgreSQL's CPU
// per read, growing with the table). The lookup sits in a LATERAL subquery that OFFSET 0 keeps
// from being flattened into a join, so it can only run as an index probe per id.
import { sql, type SQL, type SQLChunk } from 'drizzle-orm';
import type { TableName } from '../../shared/tables.js';
import { rowsOf, type Queryable } from '../db/client.js';
import { arrayLiteral } from './any-of.js';
import type { CurrentRow, PushedRow } from './decide.js';
import { parentLookups } from './parents.js';
import { isoInstant, wireRowJson } from './wire-json.js';
import { executeNamed } from './named-statement.js';

export interface BatchRead {
  current: Map<string, CurrentRow>;
  /** Parent table → the ids of it the batch names that the server has. */
  parents: Map<TableName, Set<string>>;
}

/** The batch's read as SQL: rows (parent, id, j, txid, edited_at), decoded by batchReadOf. */
export function batchReadSql(table: TableName, rows: PushedRow[]): SQL {
  const t = sql.identifier(table);
  // The rows of `from` whose id is in `list`, named like the table (so its columns read as in wireRowJson).
  const byId = (from: SQLChunk, list: readonly string[], columns: SQL) =>
    sql`unnest(${arrayLiteral(list)}::uuid[]) as wanted(id)
      cross join lateral (select ${columns} from ${from} where ${from}.id = wanted.id offset 0) as ${from}`;
  const branches: SQL[] = [
    sql`select null::text as parent, ${t}.id::text as id, ${wireRowJson(table)}::text as j,
        ${t}.server_txid::text as txid, ${isoInstant(sql`${t}.edited_at`)} as edited_at
      from ${byId(
        t,
        rows.map((row) => row.id),
        sql`*`,
      )}`,
  ];
  for (const { parent, ids: wanted } of parentLookups(table, rows)) {
    const p = sql.identifier(parent);
    branches.push(sql`select ${parent}::text, ${p}.id::text, null, null, null from ${byId(p, wanted, sql`id`)}`);
  }
  return sql.join(branches, sql` union all `);
}

/** A row of batchReadSql. */
export interface BatchReadRow {
  parent: TableName | null;
  id: string;
  j: string | null;
  txid: string;
  edited_at: string | null;
}

export function batchReadOf(found: readonly BatchReadRow[]): BatchRead {
  const read: BatchRead = { current: new Map(), parents: new Map() };
  for (const { parent, id, j, txid, edited_at } of found) {
    if (parent === null) {
      const row = JSON.parse(j!) as CurrentRow['row'];
      read.current.set(id, {
        row,
        position: { txid: BigInt(txid), version: BigInt(row.server_version as number) },
        editedAt: edited_at,
      });
    } else {
      let held = read.parents.get(parent);
      if (!held) read.parents.set(parent, (held = new Set()));
      held.add(id);
    }
  }
  return read;
}

export async function readBatch(tx: Queryable, table: TableName, rows: PushedRow[]): Promise<BatchRead> {
  if (rows.length === 0) return { current: new Map(), parents: new Map() };
  return batchReadOf(rowsOf<BatchReadRow>(await executeNamed(tx, batchReadSql(table, rows))));
}
