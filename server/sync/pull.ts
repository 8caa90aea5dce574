// POST /api/v1/sync/pull: one page of changes after the device's position, merged across the
// requested tables in position order (server_txid, server_version). Each page is read with an
// index range scan per table (`(server_txid, server_version) > position order by … limit n`), so a
// 100k-row initial sync is a series of small queries and small responses; no table is loaded whole.
// A store device reads its store's rows only (scope.ts), and rows that left its scope come as
// `removed` ids (rescope.ts, pull-branches.ts).
import { eq } from 'drizzle-orm';
import { type z } from 'zod';
import type { PullArraysResponse, PullNext, PullRequest, PullResponse } from '../../shared/protocol/sync.js';
import { tablesReadableBy, type TableName } from '../../shared/tables.js';
import { syncMarkDue, type Device } from '../auth/devices.js';
import { type Queryable, type ServerDatabase } from '../db/client.js';
import { devices } from '../db/schema.js';
import { HttpError } from '../http/errors.js';
import { laterOf, positionOf, settledUpTo, START } from './position.js';
import { scopedBranches } from './pull-branches.js';
import { readPage } from './pull-page.js';
import { wireColumnOrder } from './rows.js';
import {
  endOf,
  formatPullCursor,
  parsePullCursor,
  planHolds,
  planScope,
  plainPosition,
  rescopeSuffix,
  type PullPosition,
} from './rescope.js';
import { pullPositionAt, recordWatermark, thinWatermarks } from './watermarks.js';

export const DEFAULT_PAGE_SIZE = 1000;
export { PAGE_BYTES } from './pull-page.js';

type ParsedPull = z.output<typeof PullRequest>;

/**
 * A pull answer ready to send: its JSON text in pieces of about PIECE_CHARS, in order (the rows'
 * JSON comes from PostgreSQL as text and is spliced in, never parsed on the server), and the facts
 * the request log counts. Pieces, not one text: a page's text of megabytes would be copied whole
 * into fresh memory (joined, then encoded for the compressor); pieces reuse the same heap pages.
 */
export interface PullAnswer {
  pieces: string[];
  /** The answer's cursor, timestamp and has_more, also sent as headers (PULL_NEXT_HEADERS). */
  next: PullNext;
  rowsByTable: Record<string, number>;
}

/**
 * About the size of a piece of an answer, in characters (a small answer is one piece). Under 128 kB,
 * so a piece and its bytes stay in memory the process reuses (V8's regular heap, malloc's arena);
 * not much smaller: brotli at quality 1 compresses each write on its own (32 kB pieces made pages
 * ~50 % larger, 120 kB ones ~4 %).
 */
export const PIECE_CHARS = 120 * 1024;

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
async function startOf(db: ServerDatabase, request: ParsedPull): Promise<{ from: PullPosition; delta: boolean }> {
  if (request.cursor) return { from: parsePullCursor(request.cursor), delta: true };
  if (request.last_sync_timestamp) {
    // Seed clients pass back only the `timestamp`: it maps to the position its page ended at.
    const position = await pullPositionAt(db, request.last_sync_timestamp);
    return position ? { from: position, delta: true } : { from: plainPosition(START), delta: false };
  }
  return { from: plainPosition(START), delta: false };
}

export async function servePull(db: ServerDatabase, device: Device, request: ParsedPull): Promise<PullAnswer> {
  const tables = tablesToPull(device, request.tables);
  const limit = request.limit ?? DEFAULT_PAGE_SIZE;
  const { from, delta } = await startOf(db, request);
  // A client that keeps the first page's total (ours) asks for it once; one that does not say gets
  // it on every page, as before (counting the rows left costs a scan of them, on every page).
  const withTotal = request.with_total ?? true;
  const format = request.row_format ?? 'objects';

  const read = async (q: Queryable) => {
    // Invariant 12: the device's store as this snapshot sees it, and where each group goes on from.
    const plan = await planScope(q, device, await storeInSnapshot(q, device), from);
    const page = await readPage(q, {
      branches: scopedBranches(plan, tables, delta ? device.id : null, format),
      limit,
      withTotal,
    });
    return { plan, page };
  };
  // A store device's plan (its store, its moves) and its page are read in one snapshot, so they
  // agree, and so is a total counted apart from the page (pull-page.ts); a manager's plan reads
  // nothing, and its page without a total is one statement (one snapshot) alone.
  const readInSnapshot = () =>
    device.role === 'store' || withTotal
      ? db.transaction(read, { isolationLevel: 'repeatable read', accessMode: 'read only' })
      : read(db);
  // The same in ONE statement where it can be (every delta, and every page that wants no total):
  // the plan is made from the token's store (and, for a scoped device, its moves read just
  // before), and the page statement checks in its own snapshot that they still hold. A page
  // without more counts its total itself. A plan that no longer holds (the device moved between
  // the two), or a first page with more after it (its total is a count of its own), is read
  // again in one snapshot as above: never a page and a plan that disagree.
  const readAlone = async () => {
    const store = device.role === 'store' ? (device.store_id ?? null) : null;
    const plan = await planScope(db, device, store, from);
    const page = await readPage(db, {
      branches: scopedBranches(plan, tables, delta ? device.id : null, format),
      limit,
      withTotal,
      countLeft: false,
      check: device.role === 'store' ? planHolds(device.id, store, plan) : null,
    });
    return page.checked && (page.total !== null || !withTotal) ? { plan, page } : readInSnapshot();
  };
  const readOnce = () => (delta || !withTotal ? readAlone() : readInSnapshot());
  let { plan, page } = await readOnce();
  // A complete page ends at the horizon. When a transaction that finished as the page was read
  // held it (often one of another database on a busy cluster), rows committed before this request
  // would wait for the next pull: a new snapshot serves them now. Once: this only adds freshness.
  if (!page.hasMore && page.horizonHeldByFinished) ({ plan, page } = await readOnce());

  // A page that ends early resumes right after its last row; a complete one after everything
  // settled. Each group (rescope.ts) moves to that point, never back.
  const reached =
    page.hasMore && page.last
      ? positionOf({ server_txid: page.last.txid, server_version: page.last.version })
      : settledUpTo(page.horizon);
  const end = endOf(plan, laterOf(plan.main, reached), laterOf(plan.scopedFrom, reached));

  // A delta leaves out the device's own pushes (it has them, and the push response gave it their
  // versions); the position still moves past them. A full sync includes them (pull-page.ts).
  const changes = Object.fromEntries(tables.map((table) => [table, page.served.get(table) ?? []])) as Record<
    TableName,
    string[]
  >;

  // The reply's timestamp stands for `end`: passed back alone, it resumes exactly here. The
  // device's last sync (when due) is written by the same statement.
  const timestamp = await recordWatermark(
    db,
    end.main,
    end.phase ? rescopeSuffix(end.phase) : null,
    syncMarkDue(db, device.id, !page.hasMore) ? { deviceId: device.id, at: page.now } : null,
  );
  await thinWatermarks(db);
  const answer: Omit<PullResponse, 'changes'> & Partial<Pick<PullArraysResponse, 'columns'>> = {
    success: true,
    timestamp: timestamp.toISOString(),
    conflicts: null,
    cursor: formatPullCursor(end),
    has_more: page.hasMore,
    ...(page.total === null ? {} : { total: page.total }),
    ...(page.removed.size === 0 ? {} : { removed: Object.fromEntries(page.removed) }),
    ...(format === 'arrays'
      ? { columns: Object.fromEntries(tables.map((table) => [table, wireColumnOrder[table]])) }
      : {}),
  };
  return {
    pieces: pullAnswerPieces(answer, changes),
    next: { cursor: answer.cursor, timestamp: answer.timestamp, has_more: answer.has_more },
    rowsByTable: Object.fromEntries(tables.map((table) => [table, page.served.get(table)?.length ?? 0])),
  };
}

/** A store device's store in the pull's snapshot (its token's may predate a move). */
async function storeInSnapshot(q: Queryable, device: Device): Promise<string | null> {
  if (device.role !== 'store') return null;
  const [row] = await q.select({ store_id: devices.store_id }).from(devices).where(eq(devices.id, device.id));
  return row?.store_id ?? null;
}

/**
 * The answer's JSON in pieces (PullAnswer): its fields as JSON.stringify writes them, with `changes`
 * spliced from the rows' texts (`changes`: per table, its rows' wire JSON in order).
 */
export function pullAnswerPieces(
  answer: Omit<PullResponse, 'changes'>,
  changes: Record<string, readonly string[]>,
): string[] {
  const pieces: string[] = [];
  let piece = '{"changes":{';
  Object.entries(changes).forEach(([table, rows], t) => {
    piece += `${t === 0 ? '' : ','}${JSON.stringify(table)}:[`;
    // The rows in runs of about PIECE_CHARS, each joined once.
    let from = 0;
    let size = 0;
    for (let r = 0; r < rows.length; r++) {
      size += rows[r]!.length + 1;
      if (size < PIECE_CHARS && r < rows.length - 1) continue;
      piece += `${from === 0 ? '' : ','}${rows.slice(from, r + 1).join(',')}`;
      from = r + 1;
      size = 0;
      if (piece.length >= PIECE_CHARS) {
        pieces.push(piece);
        piece = '';
      }
    }
    piece += ']';
  });
  const rest = JSON.stringify(answer).slice(1);
  pieces.push(`${piece}}${rest === '}' ? '}' : `,${rest}`}`);
  return pieces;
}
