// POST /api/v1/sync/pull: one page of changes after the device's cursor, merged across the
// requested tables in version order. Each page is read with an index range scan
// (`server_version > cursor order by server_version limit n` per table), so a 100k-row initial
// sync is a series of small queries and small responses; no table is ever loaded whole.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { PullRequest, PullResponse } from '../../shared/protocol/sync.js';
import { tablesReadableBy, type TableName } from '../../shared/tables.js';
import { markSynced, type Device } from '../auth/devices.js';
import { databaseNow, rowsOf, type ServerDatabase } from '../db/client.js';
import { HttpError } from '../http/errors.js';
import { toWireRow, type WireRow } from './rows.js';

export const DEFAULT_PAGE_SIZE = 1000;
/**
 * A page also ends once its rows reach this size (at least one row per page): JSON columns have no
 * length limit, so `limit` rows of large definitions could make a response of gigabytes, which
 * the server can neither hold nor stringify (a pull failing for ever, or the process dying).
 */
export const PAGE_BYTES = 8 * 1024 * 1024;

type ParsedPull = z.output<typeof PullRequest>;

export function tablesToPull(device: Device, requested: readonly TableName[] | undefined): TableName[] {
  const readable = tablesReadableBy(device.role);
  if (!requested) return readable;
  const forbidden = requested.filter((table) => !readable.includes(table));
  if (forbidden.length) {
    throw new HttpError(403, `device ${device.id} has role ${device.role} and may not pull ${[...new Set(forbidden)].join(', ')}`);
  }
  return [...new Set(requested)];
}

export async function pullChanges(db: ServerDatabase, device: Device, request: ParsedPull): Promise<PullResponse> {
  const tables = tablesToPull(device, request.tables as TableName[] | undefined);
  const limit = request.limit ?? DEFAULT_PAGE_SIZE;
  const after = request.cursor ? Number(request.cursor) : 0;
  // Legacy seed mode: no cursor but a last_sync_timestamp filters on the server's write time.
  // That can miss a push that committed late with an earlier time; the cursor cannot (invariant 1).
  const since = !request.cursor && request.last_sync_timestamp ? new Date(request.last_sync_timestamp) : null;
  // Delta pulls leave out the device's own pushes (it has them, and the push response gave it
  // their versions); the cursor still moves past them.
  const skipOwn = !!request.cursor;

  const filter = (table: TableName): SQL => {
    const t = sql.identifier(table);
    return since
      ? sql`${t}.server_version > ${after} and ${t}.server_updated_at > ${since.toISOString()}::timestamptz`
      : sql`${t}.server_version > ${after}`;
  };

  // One snapshot for the page, the total and the high-water mark, so they agree with each other.
  const page = await db.transaction(
    async (tx) => {
      const branches = tables.map(
        (table) =>
          sql`(select ${table}::text as tbl, ${sql.identifier(table)}.server_version as v, to_jsonb(${sql.identifier(table)}) as r
               from ${sql.identifier(table)} where ${filter(table)}
               order by ${sql.identifier(table)}.server_version limit ${limit + 1})`,
      );
      // Rows whose predecessors on the page stay under PAGE_BYTES (pg_column_size: jsonb's size,
      // close to its JSON text without serialising it).
      const rows = rowsOf<{ tbl: TableName; v: string | number; r: Record<string, unknown> }>(
        await tx.execute(sql`select tbl, v, r from (
            select tbl, v, r, sum(pg_column_size(r)) over (order by v) - pg_column_size(r) as before
            from (${sql.join(branches, sql` union all `)}) as page) as sized
          where before < ${PAGE_BYTES} order by v limit ${limit + 1}`),
      );
      const counts = tables.map((table) => sql`(select count(*) from ${sql.identifier(table)} where ${filter(table)})`);
      const [{ total } = { total: 0 }] = rowsOf<{ total: string | number }>(
        await tx.execute(sql`select (${sql.join(counts, sql` + `)})::bigint as total`),
      );
      let highWater = 0;
      if (since && rows.length === 0) {
        // Legacy mode found nothing newer: hand out a cursor at the current end so the device
        // can switch to the safe cursor from here on.
        const maxes = tables.map((table) => sql`(select coalesce(max(server_version), 0) from ${sql.identifier(table)})`);
        const [row] = rowsOf<{ high: string | number }>(
          await tx.execute(sql`select greatest(${sql.join(maxes, sql`, `)})::bigint as high`),
        );
        highWater = Number(row?.high ?? 0);
      }
      return { rows, total: Number(total), highWater, now: await databaseNow(tx) };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );

  const pageRows = page.rows.slice(0, limit);
  // total counts every row after the cursor in the same snapshot: more than this page holds means
  // more pages, whether the page ended at `limit` rows or at PAGE_BYTES.
  const hasMore = page.rows.length > limit || page.total > pageRows.length;
  const last = pageRows.at(-1);
  const cursor = Math.max(after, page.highWater, last ? Number(last.v) : 0);

  const changes: Partial<Record<TableName, WireRow[]>> = Object.fromEntries(tables.map((table) => [table, []]));
  for (const row of pageRows) {
    if (skipOwn && row.r.written_by === device.id) continue;
    changes[row.tbl]!.push(toWireRow(row.tbl, row.r));
  }

  await markSynced(db, device.id, page.now);
  return {
    success: true,
    timestamp: page.now.toISOString(),
    changes,
    conflicts: null,
    cursor: String(cursor),
    has_more: hasMore,
    total: page.total,
  };
}
