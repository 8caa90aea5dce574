// One pull page read in ONE statement: the horizon, the page's rows as wire JSON text and the
// database's clock. A single statement reads a single snapshot, so the horizon and the rows agree
// with each other exactly as they did inside a repeatable-read transaction, for one round trip
// instead of five (begin, horizon, page, clock, commit). The total, when asked, is the page's own
// count when it holds every row left, else a count in the same snapshot (the caller's transaction).
import { sql, type SQL, type SQLChunk } from 'drizzle-orm';
import type { TableName } from '../../shared/tables.js';
import { rowsOf, type Queryable } from '../db/client.js';
import { executeNamed } from './named-statement.js';

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
  /** The table whose rows the branch serves as changes; null: it serves removed ids only. */
  serves: TableName | null;
  /** Whether the branch may yield removed ids (`gone` not constantly false). */
  removes: boolean;
  /** The name the FROM item is known by (for its position columns). */
  alias: SQLChunk;
  from: SQLChunk;
  /** Which rows after the branch's start position (the horizon is added here). */
  where: SQL;
  /** SQL text: the row's id (for `removed`). */
  id: SQL;
  /** SQL text: the row's JSON as the wire carries it (for a removed row, its id alone). */
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
  /**
   * With `withTotal`: whether a page with more after it counts the rows left (a statement of its
   * own, so the caller holds the snapshot); false: its total is null (pull.ts reads it again).
   */
  countLeft?: boolean;
  /** SQL evaluated in the page's snapshot, returned as `checked` (pull.ts: whether its plan holds). */
  check?: SQL | null;
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
  /** The horizon is a transaction that had finished when the page was read (HORIZON_CTES). */
  horizonHeldByFinished: boolean;
  now: Date;
  total: number | null;
  /** The query's `check` in the page's snapshot (true when none was given). */
  checked: boolean;
}

/**
 * The pull's horizon: the lowest transaction id still running in this snapshot (the snapshot's
 * xmin), leaving out transactions known to run in ANOTHER database of the cluster (transaction ids
 * are cluster-wide; a long transaction elsewhere must not hold our pulls back). Running
 * transactions are read from pg_stat_activity after the snapshot was taken: one that belongs to
 * another database is shown with it; one that finished meanwhile, or that we may not see, is not
 * shown and so still counts, which errs only towards serving later. `backend_xid` is the 32-bit
 * xid, compared with the low half of the 64-bit one. pg_current_snapshot() is the statement's own
 * snapshot, the one every row below is read in. `held_by_finished`: the horizon is such a
 * transaction that finished meanwhile (on a busy cluster, often one of another database): a new
 * snapshot would serve further (pull.ts reads a complete page once more).
 */
const HORIZON_CTES = sql`
  snap as (select pg_current_snapshot() as s),
  running as (
    select backend_xid::text::bigint as xid, datname is distinct from current_database() as elsewhere
    from pg_stat_activity where backend_xid is not null),
  h0 as (
    select least(
      (select pg_snapshot_xmax(s)::text::bigint from snap),
      (select min(x::text::bigint) from snap, pg_snapshot_xip(s) as x
        where (x::text::bigint % 4294967296) not in (select xid from running where elsewhere))
    ) as horizon),
  h as (
    select horizon,
      horizon < (select pg_snapshot_xmax(s)::text::bigint from snap)
        and (horizon % 4294967296) not in (select xid from running) as held_by_finished,
      (extract(epoch from clock_timestamp()) * 1000)::float8 as now_ms
    from h0)`;

/**
 * Invariant 1: every transaction below the horizon has settled, and every one still running or
 * yet to start has an id at or above it. Serving only rows written below it, in position order,
 * means no row can later appear at or below a position handed out.
 */
const servable = (b: PageBranch): SQL => sql`${b.where} and ${b.alias}.server_txid < (select horizon from h)`;

export async function readPage(db: Queryable, query: PageQuery): Promise<PageRead> {
  const { branches, limit } = query;
  const pageBytes = query.pageBytes ?? PAGE_BYTES;
  const selects = branches.map(
    (b) => sql`(select ${b.table}::text as tbl, ${b.alias}.server_txid as x, ${b.alias}.server_version as v,
             ${b.id}::text as id, ${b.mine} as mine, ${b.gone} as gone, ${b.json} as j
           from ${b.from} where ${servable(b)}
           order by ${b.alias}.server_txid, ${b.alias}.server_version limit ${limit + 1})`,
  );
  // The first limit + 1 rows in position order; `k`: the page keeps it, i.e. it is among the
  // first `limit` and the rows before it (pg_column_size: the JSON text's length) stay under the
  // byte cut-off (at least one row: the first has 0 before it). A row past that only says that
  // more rows wait. The window needs no sort: the branches come merged in position order.
  const page = sql`page as (
      select tbl, x, v, id, mine, gone, j,
        sum(pg_column_size(j)) over w - pg_column_size(j) < ${pageBytes} and row_number() over w <= ${limit} as k
      from (${sql.join(selects, sql` union all `)}) as u
      window w as (order by x, v) order by x, v limit ${limit + 1})`;
  // One aggregate over the page in its order (no sort: string_agg takes its rows in the order the
  // ordered page yields them; a GROUP BY could sort them otherwise): per served table, its rows'
  // texts joined by commas and their count.
  const served = [...new Set(branches.map((b) => b.serves).filter((t) => t !== null))];
  const perTable = served.map((table, i) => {
    const mine = sql`k and tbl = ${table} and not gone and not mine`;
    return sql`, string_agg(j, ',') filter (where ${mine}) as ${sql.identifier(`s${i}`)},
      count(*) filter (where ${mine})::int as ${sql.identifier(`n${i}`)}`;
  });
  // A removed row served again on the same page (it came back) is only served: the page's latest
  // word on a row wins. Only branches that may remove rows pay for the page being read twice.
  const removed = branches.some((b) => b.removes)
    ? sql`(select json_agg(json_build_array(p.tbl, p.id) order by p.x, p.v)::text from page p
        where p.k and p.gone and not exists (
          select 1 from page s where s.k and s.tbl = p.tbl and s.id = p.id and not s.gone and not s.mine))`
    : sql`null::text`;
  const result = await executeNamed(
    db,
    sql`
    with ${HORIZON_CTES}, ${page},
    a as (
      select count(*)::int as candidates, count(*) filter (where k)::int as kept,
        max(array[x, v]) filter (where k) as last ${sql.join(perTable, sql``)}
      from page)
    select h.horizon::text as horizon, h.held_by_finished, h.now_ms, ${removed} as removed,
      ${query.check ?? sql`true`} as checked,
      a.candidates, a.kept, a.last[1]::text as last_x, a.last[2]::text as last_v, a.*
    from h, a`,
  );
  const [head] = rowsOf<
    {
      horizon: string;
      held_by_finished: boolean;
      now_ms: number | string;
      removed: string | null;
      checked: boolean;
      candidates: number;
      kept: number;
      last_x: string | null;
      last_v: string | null;
    } & Record<string, unknown>
  >(result);
  if (!head) throw new Error('the page statement returned no row');
  const rows = new Map<TableName, { json: string; count: number }>();
  served.forEach((table, i) => {
    const json = head[`s${i}`] as string | null;
    if (json !== null) rows.set(table, { json, count: Number(head[`n${i}`]) });
  });
  const gone = new Map<TableName, Set<string>>();
  for (const [table, id] of head.removed ? (JSON.parse(head.removed) as [TableName, string][]) : []) {
    gone.set(table, (gone.get(table) ?? new Set<string>()).add(id));
  }
  const hasMore = Number(head.candidates) > Number(head.kept);
  return {
    served: rows,
    removed: new Map([...gone].map(([table, ids]) => [table, [...ids]])),
    last: head.last_x === null ? null : { txid: head.last_x, version: head.last_v! },
    hasMore,
    horizon: BigInt(head.horizon),
    horizonHeldByFinished: head.held_by_finished,
    now: new Date(Number(head.now_ms)),
    // A page holding every row left counts them itself (a delta's usual case: no count at all).
    total: !query.withTotal
      ? null
      : !hasMore
        ? Number(head.candidates)
        : query.countLeft === false
          ? null
          : await countRows(db, branches),
    checked: head.checked,
  };
}

/**
 * The rows left after the branches' start positions, below the horizon: the progress total of a
 * pull's first page. Run in the page's snapshot (the caller's repeatable-read transaction), and
 * planned for its own positions (a count is where a plan made for other positions could scan a
 * whole table).
 */
async function countRows(db: Queryable, branches: readonly PageBranch[]): Promise<number> {
  const counts = branches.map((b) => sql`(select count(*) from ${b.from} where ${servable(b)})`);
  const [row] = rowsOf<{ total: string }>(
    await db.execute(sql`with ${HORIZON_CTES} select (${sql.join(counts, sql` + `)})::text as total from h`),
  );
  return Number(row!.total);
}
