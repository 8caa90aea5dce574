// One pull page read in ONE statement: the horizon, the page's rows as wire JSON text, the
// database's clock and (when asked) the total. A single statement reads a single snapshot, so the
// horizon, the rows and the total agree with each other exactly as they did inside a repeatable-
// read transaction, for one round trip instead of six (begin, horizon, page, count, clock, commit).
import { sql, type SQL, type SQLChunk } from 'drizzle-orm';
import type { TableName } from '../../shared/tables.js';
import { rowsOf, type Queryable } from '../db/client.js';

/**
 * A page also ends once its rows reach this size (at least one row per page): JSON columns have no
 * length limit, so `limit` rows of large definitions could make a response of gigabytes, which
 * the server can neither hold nor send (a pull failing for ever, or the process dying).
 */
export const PAGE_BYTES = 8 * 1024 * 1024;

/**
 * One part of a page (pull-branches.ts): a table's servable rows, or the scope moves served as
 * removed ids. Each is read with an index range scan in position order; the page is their merge.
 */
export interface PageBranch {
  /** SQL text: the table the rows are served under. */
  table: SQL;
  /** The name the FROM item is known by (for its position columns). */
  alias: SQLChunk;
  from: SQLChunk;
  /** Which rows after the branch's start position (the horizon is added here). */
  where: SQL;
  /** SQL text: the row's id (for `removed`). */
  id: SQL;
  /** SQL json: the row as the wire carries it (for a removed row, its id alone). */
  json: SQL;
  /** true: served as `removed`, not as a change. */
  gone: SQL;
  /** true: written by the pulling device (a delta passes over it without sending it). */
  mine: SQL;
}

export interface PageQuery {
  branches: readonly PageBranch[];
  limit: number;
  withTotal: boolean;
  pageBytes?: number;
}

export interface PageRead {
  /**
   * Per table, the rows the page serves (not removed, not the pulling device's own in a delta):
   * their wire JSON texts joined by commas, in position order, and how many. PostgreSQL joins them
   * (string_agg), so the driver reads one text per table instead of a row of ten columns per pulled
   * row: parsing those rows was a third of the server's CPU per pulled row.
   */
  served: Map<TableName, { json: string; count: number }>;
  /** Ids that left the device's scope (removed), per table, in position order, each once. */
  removed: Map<TableName, string[]>;
  /** The position of the page's last row (served or passed over); null on an empty page. */
  last: { txid: string; version: string } | null;
  /** More servable rows lie after this page (beyond `limit`, or beyond the byte cut-off). */
  hasMore: boolean;
  horizon: bigint;
  now: Date;
  total: number | null;
}

/**
 * The pull's horizon: the lowest transaction id still running in this snapshot (the snapshot's
 * xmin), leaving out transactions known to run in ANOTHER database of the cluster (transaction ids
 * are cluster-wide; a long transaction elsewhere must not hold our pulls back). Running
 * transactions are read from pg_stat_activity after the snapshot was taken: one that belongs to
 * another database is shown with it; one that finished meanwhile, or that we may not see, is not
 * shown and so still counts, which errs only towards serving later. `backend_xid` is the 32-bit
 * xid, compared with the low half of the 64-bit one. pg_current_snapshot() is the statement's own
 * snapshot, the one every row below is read in.
 */
const HORIZON_CTES = sql`
  snap as (select pg_current_snapshot() as s),
  elsewhere as (
    select backend_xid::text::bigint as xid from pg_stat_activity
    where backend_xid is not null and datname is distinct from current_database()),
  h as (
    select least(
      (select pg_snapshot_xmax(s)::text::bigint from snap),
      (select min(x::text::bigint) from snap, pg_snapshot_xip(s) as x
        where (x::text::bigint % 4294967296) not in (select xid from elsewhere))
    ) as horizon,
    (extract(epoch from clock_timestamp()) * 1000)::float8 as now_ms)`;

export async function readPage(db: Queryable, query: PageQuery): Promise<PageRead> {
  const { branches, limit } = query;
  const pageBytes = query.pageBytes ?? PAGE_BYTES;
  // Invariant 1: every transaction below the horizon has settled, and every one still running or
  // yet to start has an id at or above it. Serving only rows written below it, in position order,
  // means no row can later appear at or below a position handed out.
  const servable = (b: PageBranch): SQL => sql`${b.where} and ${b.alias}.server_txid < (select horizon from h)`;
  const selects = branches.map(
    (b) => sql`(select ${b.table}::text as tbl, ${b.alias}.server_txid as x, ${b.alias}.server_version as v,
             ${b.id}::text as id, ${b.mine} as mine, ${b.gone} as gone, ${b.json} as j
           from ${b.from} where ${servable(b)}
           order by ${b.alias}.server_txid, ${b.alias}.server_version limit ${limit + 1})`,
  );
  const total = query.withTotal
    ? sql`(${sql.join(
        branches.map((b) => sql`(select count(*) from ${b.from} where ${servable(b)})`),
        sql` + `,
      )})::text`
    : sql`null::text`;
  // The first limit + 1 rows in position order, each with the size of the rows before it
  // (pg_column_size: the JSON text's length). The page keeps at most `limit` of them and stops
  // before the first row past the byte cut-off (at least one row: the first has 0 before it); a
  // row beyond it only says that more rows wait. A removed row served again on the same page (it
  // came back) is only served: the page's latest word on a row wins. The left join returns the
  // horizon on an empty page too.
  const result = await db.execute(sql`
    with ${HORIZON_CTES},
    page as (
      select tbl, x, v, id, mine, gone, j, sum(pg_column_size(j)) over (order by x, v) - pg_column_size(j) as before
      from (${sql.join(selects, sql` union all `)}) as u
      order by x, v limit ${limit + 1}),
    kept as (select * from page where before < ${pageBytes} order by x, v limit ${limit}),
    served as (
      select tbl, count(*)::int as n, string_agg(j::text, ',' order by x, v) as rows
      from kept where not gone and not mine group by tbl),
    removed as (
      select tbl, id, x, v from kept k where gone and not exists (
        select 1 from kept s where s.tbl = k.tbl and s.id = k.id and not s.gone and not s.mine)),
    tail as (select x, v from kept order by x desc, v desc limit 1)
    select h.horizon::text as horizon, h.now_ms, ${total} as total,
      (select count(*) from page)::int as candidates, (select count(*) from kept)::int as kept,
      (select x::text from tail) as last_x, (select v::text from tail) as last_v,
      o.tbl, o.n, o.rows, o.id
    from h left join (
      select tbl, n, rows, null::text as id, null::bigint as x, null::bigint as v from served
      union all select tbl, null, null, id, x, v from removed) as o on true
    order by o.x nulls first, o.v`);
  const raw = rowsOf<{
    horizon: string;
    now_ms: number | string;
    total: string | null;
    candidates: number;
    kept: number;
    last_x: string | null;
    last_v: string | null;
    tbl: TableName | null;
    n: number | null;
    rows: string | null;
    id: string | null;
  }>(result);
  const head = raw[0]!;
  const served = new Map<TableName, { json: string; count: number }>();
  const removed = new Map<TableName, Set<string>>();
  for (const row of raw) {
    if (row.tbl === null) continue;
    if (row.rows !== null) served.set(row.tbl, { json: row.rows, count: Number(row.n) });
    else if (row.id !== null) removed.set(row.tbl, (removed.get(row.tbl) ?? new Set<string>()).add(row.id));
  }
  return {
    served,
    removed: new Map([...removed].map(([table, ids]) => [table, [...ids]])),
    last: head.last_x === null ? null : { txid: head.last_x, version: head.last_v! },
    hasMore: Number(head.candidates) > Number(head.kept),
    horizon: BigInt(head.horizon),
    now: new Date(Number(head.now_ms)),
    total: head.total === null ? null : Number(head.total),
  };
}
