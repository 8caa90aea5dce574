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
   * their wire JSON texts, in position order. PostgreSQL writes each row's text (wire-json.ts);
   * the server only splices them into the answer (pull.ts).
   */
  served: Map<TableName, string[]>;
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
  // Ids only when some branch may remove rows: pageOf matches the removed ids against the served.
  const withIds = branches.some((b) => b.removes);
  const select = (b: PageBranch, i: number) =>
    sql`(select ${branchCode(i)}::text as b, ${b.table}::text as tbl, ${b.alias}.server_txid as x,
             ${b.alias}.server_version as v, ${withIds ? sql`${b.id}::text` : sql`null::text`} as id,
             ${b.mine} as mine, ${b.gone} as gone, ${b.json} as j
           from ${b.from} where ${servable(b)}
           order by ${b.alias}.server_txid, ${b.alias}.server_version limit ${limit + 1})`;
  const selects = branches.map(select);
  // The first limit + 1 rows in position order; `k`: the page keeps it, i.e. it is among the
  // first `limit` and the rows before it (pg_column_size: the JSON text's length) stay under the
  // byte cut-off (at least one row: the first has 0 before it). A row past that only says that
  // more rows wait. The window needs no sort: the branches come merged in position order.
  // `ends`: the last row the page keeps (the next one is not kept, or there is none), the only row
  // whose position the server reads.
  const page = sql`page as (
      select b, tbl, x, v, id, mine, gone, j,
        sum(pg_column_size(j)) over w - pg_column_size(j) < ${pageBytes} and row_number() over w <= ${limit} as k,
        not (lead(true, 1, false) over w and sum(pg_column_size(j)) over w < ${pageBytes}
          and row_number() over w < ${limit}) as ends
      from (${sql.join(selects, sql` union all `)}) as u
      window w as (order by x, v) order by x, v limit ${limit + 1})`;
  // One row for the head (tbl null, its facts as JSON in `j`), then one per row of the page in
  // position order, its JSON text only when served. Not one aggregate of the page: a value of
  // megabytes costs PostgreSQL fresh memory for the aggregate, its copy and the message (several
  // times the page's size, 0.3 page faults per row), and the driver as much again to receive it;
  // rows of a few hundred bytes reuse the same buffers. The page is read once (a second reader
  // would make PostgreSQL keep it, spilling to disk above work_mem).
  const result = await executeNamed(
    db,
    sql`
    with ${HORIZON_CTES}, ${page}
    select null::text as t, json_build_object('horizon', h.horizon::text, 'held', h.held_by_finished,
        'now', h.now_ms, 'checked', ${query.check ?? sql`true`})::text as j,
      null::text as x, null::text as v, null::text as id, null::text as f
    from h
    union all
    select case when gone then tbl else b end, case when k and not gone and not mine then j end,
      case when k and ends then x::text end, case when k and ends then v::text end, id,
      case when not k then 'x' when gone then 'g' when mine then 'm' end
    from page`,
  );
  const read = pageOf(branches, rowsOf<PageRow>(result));
  return {
    ...read,
    // A page holding every row left counts them itself (a delta's usual case: no count at all).
    total: !query.withTotal
      ? null
      : !read.hasMore
        ? read.candidates
        : query.countLeft === false
          ? null
          : await countRows(db, branches),
  };
}

/**
 * A branch's code in the page's rows: one character, which the driver hands over without making a
 * string per row (a table's name would be one more string per row to make and collect).
 */
function branchCode(i: number): string {
  if (i >= 26) throw new Error('a page of more than 26 branches');
  return String.fromCharCode(65 + i);
}

/** A row of the page statement: the head (t null) or a row of the page. */
interface PageRow {
  /** A removed row's table; any other row's branch (branchCode). */
  t: string | null;
  /** The head's facts as JSON; a served row's wire JSON; else null. */
  j: string | null;
  /** The position of the last row the page keeps, on that row only. */
  x: string | null;
  v: string | null;
  /** The row's id when some branch of the page may remove rows. */
  id: string | null;
  /** null: served; 'g': removed; 'm': the device's own, passed over; 'x': beyond the page. */
  f: 'g' | 'm' | 'x' | null;
}

/** The page from its rows: served texts per table, removed ids, its last position and the head. */
function pageOf(branches: readonly PageBranch[], rows: PageRow[]): Omit<PageRead, 'total'> & { candidates: number } {
  const tableOf = new Map(branches.map((b, i) => [branchCode(i), b.serves]));
  let head: { horizon: string; held: boolean; now: number; checked: boolean } | undefined;
  const served = new Map<TableName, string[]>();
  const servedIds = new Map<TableName, Set<string>>();
  const goneRows: [TableName, string][] = [];
  let candidates = 0;
  let kept = 0;
  let last: { txid: string; version: string } | null = null;
  for (const row of rows) {
    if (row.t === null) {
      head = JSON.parse(row.j!) as typeof head;
      continue;
    }
    candidates += 1;
    if (row.f === 'x') continue;
    kept += 1;
    if (row.x !== null) last = { txid: row.x, version: row.v! };
    if (row.f === 'g') {
      goneRows.push([row.t as TableName, row.id!]);
      continue;
    }
    if (row.f === 'm') continue;
    const table = tableOf.get(row.t)!;
    (served.get(table) ?? served.set(table, []).get(table)!).push(row.j!);
    if (row.id !== null) (servedIds.get(table) ?? servedIds.set(table, new Set()).get(table)!).add(row.id);
  }
  if (!head) throw new Error('the page statement returned no head');
  if (kept > 0 && !last) throw new Error('the page statement marked no last row');
  // A removed row served again on the same page (it came back) is only served: the page's latest
  // word on a row wins. Each id once, in position order.
  const removed = new Map<TableName, string[]>();
  const seen = new Set<string>();
  for (const [table, id] of goneRows) {
    if (servedIds.get(table)?.has(id) || seen.has(`${table}\u0000${id}`)) continue;
    seen.add(`${table}\u0000${id}`);
    (removed.get(table) ?? removed.set(table, []).get(table)!).push(id);
  }
  return {
    served,
    removed,
    last,
    hasMore: candidates > kept,
    horizon: BigInt(head.horizon),
    horizonHeldByFinished: head.held,
    now: new Date(Number(head.now)),
    checked: head.checked,
    candidates,
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
