// Where a store device's pull starts under its scope (invariant 12), and the re-scope phase.
//
// A pull normally goes on from one position for every table. When a store device was moved to
// another store (device_scope_changes, at position P) and its position is older than P, the rows
// of its new store that lie BEFORE its position were never sent to it. The re-scope phase sends
// them without a full resync: the scoped tables are read again from the beginning (the `scan`
// position) while the other tables go on from where they were (the `main` position). Rows of the
// stores the device belonged to before are served as `removed` ids during the scan. The cursor of
// such a page is `<main>~<scan>~<P>`; once the scan has caught up with main and main is past P,
// it is a plain position again.
//
// Every row is served in position order within its group, so the guarantees of a position hold for
// each group (invariant 1): the scan group misses nothing of the new store (it reads every one of
// its rows, at their current positions, up to the horizon), the main group nothing of the rest.
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { device_scope_changes } from '../db/schema.js';
import { comparePositions, formatCursor, parseCursor, START, type Position } from './position.js';
import { scopeOf } from './scope.js';

export interface PullPosition {
  main: Position;
  /** Set inside a re-scope phase: the scoped tables' position and the scope change it is for. */
  phase: { scan: Position; change: Position } | null;
}

export const plainPosition = (main: Position): PullPosition => ({ main, phase: null });

/** A cursor (`<main>` or `<main>~<scan>~<change>`) as positions. */
export function parsePullCursor(cursor: string): PullPosition {
  const [main, scan, change] = cursor.split('~');
  return {
    main: parseCursor(main!),
    phase: scan && change ? { scan: parseCursor(scan), change: parseCursor(change) } : null,
  };
}

export const formatPullCursor = (position: PullPosition): string =>
  position.phase ? `${formatCursor(position.main)}~${rescopeSuffix(position.phase)}` : formatCursor(position.main);

/** The phase part of a cursor, as kept with a watermark (sync_watermarks.rescope). */
export const rescopeSuffix = (phase: NonNullable<PullPosition['phase']>): string =>
  `${formatCursor(phase.scan)}~${formatCursor(phase.change)}`;

export function withRescope(main: Position, rescope: string | null): PullPosition {
  return rescope ? parsePullCursor(`${formatCursor(main)}~${rescope}`) : plainPosition(main);
}

/** What a device that passes back `cursor` has seen of every table: in a phase, the lower of the two. */
export function seenPosition(cursor: string): Position {
  const { main, phase } = parsePullCursor(cursor);
  return phase && comparePositions(phase.scan, main) < 0 ? phase.scan : main;
}

export interface ScopePlan {
  /** The device's store; null: every store (manager, or a store device enrolled before scopes). */
  scope: string | null;
  main: Position;
  /** Where the scoped tables go on from (the scan position in a phase, else main). */
  scopedFrom: Position;
  /** In a phase: the scope change it is for, and the stores whose rows are served as removed. */
  phase: { change: Position; oldStores: string[] } | null;
  /** The device's scope changes the plan was made from (how many, the last id); null: it read none. */
  basis?: { count: number; lastId: number } | null;
}

/**
 * The plan of a pull from `start`, read in the pull's snapshot (a move committed before the
 * snapshot applies to this page; one committed after it lies above the page's end, so the next
 * pull runs the phase).
 */
export async function planScope(
  tx: Queryable,
  device: { id: string; role: string },
  store: string | null,
  start: PullPosition,
): Promise<ScopePlan> {
  const scope = scopeOf({ role: device.role, store_id: store });
  const none: ScopePlan = { scope, main: start.main, scopedFrom: start.main, phase: null };
  if (scope === null) return none;
  const changes = await tx
    .select()
    .from(device_scope_changes)
    .where(eq(device_scope_changes.device_id, device.id))
    .orderBy(asc(device_scope_changes.id));
  const latest = changes.at(-1);
  const basis = { count: changes.length, lastId: latest?.id ?? 0 };
  if (!latest) return { ...none, basis };
  const change: Position = { txid: BigInt(latest.server_txid), version: BigInt(latest.server_version) };
  // Every store it belonged to before: their rows may still be on the device. (Only the stores
  // left since its position are needed; all of them is simpler and only sends extra ids.)
  const oldStores = [...new Set(changes.map((c) => c.from_store))].filter(
    (s): s is string => s !== null && s !== scope,
  );
  if (start.phase && comparePositions(start.phase.change, change) === 0) {
    return { scope, main: start.main, scopedFrom: start.phase.scan, phase: { change, oldStores }, basis };
  }
  if (comparePositions(start.main, change) < 0) {
    return { scope, main: start.main, scopedFrom: START, phase: { change, oldStores }, basis };
  }
  return { ...none, basis };
}

/**
 * SQL, true when a page statement's snapshot still sees what a store device's `plan` was made
 * from: the device in `store`, and the same scope changes (they are only ever added). A plan read
 * before the page's statement then agrees with the page as if both were read in one snapshot
 * (pull.ts reads them apart, one round trip instead of a transaction's four).
 */
export function planHolds(deviceId: string, store: string | null, plan: ScopePlan): SQL {
  const sameStore = sql`(select store_id from devices where id = ${deviceId}) is not distinct from ${store}::text`;
  if (!plan.basis) return sameStore;
  return sql`${sameStore} and (select count(*) = ${plan.basis.count}::bigint
      and coalesce(max(id), 0) = ${plan.basis.lastId}::bigint
    from device_scope_changes where device_id = ${deviceId})`;
}

/** The position a page of `plan` ends at, given where each group ended. */
export function endOf(plan: ScopePlan, mainEnd: Position, scanEnd: Position): PullPosition {
  if (!plan.phase) return plainPosition(mainEnd);
  const caughtUp = comparePositions(scanEnd, mainEnd) >= 0 && comparePositions(mainEnd, plan.phase.change) >= 0;
  return caughtUp ? plainPosition(mainEnd) : { main: mainEnd, phase: { scan: scanEnd, change: plan.phase.change } };
}
