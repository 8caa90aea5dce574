// POST /api/v1/sync/pull: one page of changes after the device's position, merged across the
// requested tables in position order (server_txid, server_version). Each page is read with an
// index range scan per table (`(server_txid, server_version) > position order by … limit n`), so a
// 100k-row initial sync is a series of small queries and small responses; no table is loaded whole.
import { sql, type SQL } from 'drizzle-orm';
import { type z } from 'zod';
import type { PullRequest, PullResponse } from '../../shared/protocol/sync.js';
import { tablesReadableBy, type TableName } from '../../shared/tables.js';
import { markSynced, type Device } from '../auth/devices.js';
import { databaseNow, rowsOf, type ServerDatabase } from '../db/client.js';
import { HttpError } from '../http/errors.js';
import {
  after,
  formatCursor,
  laterOf,
  parseCursor,
  positionOf,
  settledUpTo,
  START,
  type Position,
} from './position.js';
import { toWireRow, type WireRow } from './rows.js';
import { positionAt, recordWatermark, thinWatermarks } from './watermarks.js';

export const DEFAULT_PAGE_SIZE = 1000;
/**
 * A page also ends once its rows reach this size (at least one row per page): JSON columns have no
 * length limit, so `limit` rows of large definitions could make a response of gigabytes, which
 * the server can neither hold nor stringify (a pull failing for ever, or the process dying).
 */
export const PAGE_BYTES = 8 * 1024 * 1024;

type ParsedPull = z.output<typeof PullRequest>;

/**
 * The pull's horizon: the lowest transaction id still running in this snapshot (the snapshot's
 * xmin), leaving out transactions known to run in ANOTHER database of the cluster (transaction ids
 * are cluster-wide; a long transaction elsewhere must not hold our pulls back). Running
 * transactions are read from pg_stat_activity after the snapshot was taken: one that belongs to
 * another database is shown with it; one that finished meanwhile, or that we may not see, is not
 * shown and so still counts, which errs only towards serving later. `backend_xid` is the 32-bit
 * xid, compared with the low half of the 64-bit one. The first statement of the pull transaction,
 * so it reads the snapshot the page is read in.
 */
const HORIZON = sql`
  with snap as (select pg_current_snapshot() as s),
  elsewhere as (
    select backend_xid::text::bigint as xid from pg_stat_activity
    where backend_xid is not null and datname is distinct from current_database())
  select least(
    (select pg_snapshot_xmax(s)::text::bigint from snap),
    (select min(x::text::bigint) from snap, pg_snapshot_xip(s) as x
      where (x::text::bigint % 4294967296) not in (select xid from elsewhere))
  )::text as horizon`;

export function tablesToPull(device: Device, requested: readonly TableName[] | undefined): TableName[] {
  const readable = tablesReadableBy(device.role);
  if (!requested) return readable;
  const forbidden = requested.filter((table) => !readable.includes(table));
  if (forbidden.length) {
    throw new HttpError(
      403,
      `device ${device.id} has role ${device.role} and may not pull ${[...new Set(forbidden)].join(', ')}`,
    );
  }
  return [...new Set(requested)];
}

/** Where a pull starts, and whether it is a delta (which leaves out the device's own pushes). */
async function startOf(db: ServerDatabase, request: ParsedPull): Promise<{ from: Position; delta: boolean }> {
  if (request.cursor) return { from: parseCursor(request.cursor), delta: true };
  if (request.last_sync_timestamp) {
    // Seed clients pass back only the `timestamp`: it maps to the position its page ended at.
    const position = await positionAt(db, request.last_sync_timestamp);
    return position ? { from: position, delta: true } : { from: START, delta: false };
  }
  return { from: START, delta: false };
}

export async function pullChanges(db: ServerDatabase, device: Device, request: ParsedPull): Promise<PullResponse> {
  const tables = tablesToPull(device, request.tables);
  const limit = request.limit ?? DEFAULT_PAGE_SIZE;
  const { from, delta } = await startOf(db, request);

  // One snapshot for the horizon, the page and the total, so they agree with each other.
  const page = await db.transaction(
    async (tx) => {
      // Invariant 1: every transaction below the horizon has settled, and every one still running
      // or yet to start has an id at or above it. Serving only rows written below it, in position
      // order, means no row can later appear at or below a position handed out.
      const [{ horizon } = { horizon: '0' }] = rowsOf<{ horizon: string }>(await tx.execute(HORIZON));
      const filter = (table: TableName): SQL =>
        sql`${after(table, from)} and ${sql.identifier(table)}.server_txid < ${horizon}::bigint`;
      const branches = tables.map((table) => {
        const t = sql.identifier(table);
        return sql`(select ${table}::text as tbl, ${t}.server_txid as x, ${t}.server_version as v, to_jsonb(${t}) as r
               from ${t} where ${filter(table)}
               order by ${t}.server_txid, ${t}.server_version limit ${limit + 1})`;
      });
      // Rows whose predecessors on the page stay under PAGE_BYTES (pg_column_size: jsonb's size,
      // close to its JSON text without serialising it).
      const rows = rowsOf<{ tbl: TableName; x: string | number; v: string | number; r: Record<string, unknown> }>(
        await tx.execute(sql`select tbl, x, v, r from (
            select tbl, x, v, r, sum(pg_column_size(r)) over (order by x, v) - pg_column_size(r) as before
            from (${sql.join(branches, sql` union all `)}) as page) as sized
          where before < ${PAGE_BYTES} order by x, v limit ${limit + 1}`),
      );
      const counts = tables.map((table) => sql`(select count(*) from ${sql.identifier(table)} where ${filter(table)})`);
      const [{ total } = { total: 0 }] = rowsOf<{ total: string | number }>(
        await tx.execute(sql`select (${sql.join(counts, sql` + `)})::bigint as total`),
      );
      return { rows, total: Number(total), horizon: BigInt(horizon), now: await databaseNow(tx) };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );

  const pageRows = page.rows.slice(0, limit);
  // total counts every servable row after the start in the same snapshot: more than this page
  // holds means more pages, whether the page ended at `limit` rows or at PAGE_BYTES.
  const hasMore = page.rows.length > limit || page.total > pageRows.length;
  const last = pageRows.at(-1);
  // A page that ends early resumes right after its last row; a complete one after everything settled.
  const end = laterOf(
    from,
    hasMore && last ? positionOf({ server_txid: last.x, server_version: last.v }) : settledUpTo(page.horizon),
  );

  const changes: Partial<Record<TableName, WireRow[]>> = Object.fromEntries(tables.map((table) => [table, []]));
  for (const row of pageRows) {
    // A delta leaves out the device's own pushes (it has them, and the push response gave it their
    // versions); the position still moves past them. A full sync includes them.
    if (delta && row.r.written_by === device.id) continue;
    changes[row.tbl]!.push(toWireRow(row.tbl, row.r));
  }

  // The reply's timestamp stands for `end`: passed back alone, it resumes exactly here.
  const timestamp = await recordWatermark(db, end);
  await markSynced(db, device.id, page.now);
  await thinWatermarks(db);
  return {
    success: true,
    timestamp: timestamp.toISOString(),
    changes,
    conflicts: null,
    cursor: formatCursor(end),
    has_more: hasMore,
    total: page.total,
  };
}
