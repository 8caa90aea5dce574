// The push's answer for a client that asked for `answer: 'versions'` (docs/protocol.md): a row the
// server now holds exactly as the device sent it (nearly every row of an ordinary push) comes back
// in `stored_as_pushed` as its id, server_version and change_id, not in full in `applied`. Such a
// row's values are the device's own; only the version is new to it. Sending each in full cost the
// server a copy, its JSON and its compression, and the device its decompression, parse and a
// compare of every column, for ~300 bytes the device already had.
//
// "Exactly as sent" is the protocol's one rule (shared/protocol/stored-as-pushed.ts), asked of the
// row the full answer would carry against the row as it arrived in the request body, before
// validation filled in a default or rewrote a time: the device asks the same of a full answer, so
// whatever it would have adopted whole (a merge, a winner, a uuid in lower case, jsonb's key
// order, a time respelled) still comes in full, and everything else it would only have moved to
// the new version.
import type { PushResponse, StoredAsPushed } from '../../shared/protocol/sync.js';
import { holdsAsPushed } from '../../shared/protocol/stored-as-pushed.js';
import type { TableName } from '../../shared/tables.js';

type Applied = PushResponse['applied'];
type AppliedRows = NonNullable<Applied[TableName]>;
type SentRow = Record<string, unknown>;

/** A push's rows per table as the device sent them (the request body before validation). */
export type SentChanges = Partial<Record<TableName, readonly SentRow[]>>;

/** The `changes` of a request body that passed validation (so it is an object of row arrays). */
export const sentChanges = (body: unknown): SentChanges | undefined =>
  (body as { changes?: SentChanges } | null)?.changes;

/**
 * The sent rows of one table by change id (lower case, as `applied` spells it). A change id sent
 * twice in one push (a retry within itself) names no one row: its rows are answered in full.
 */
export function sentByChangeId(rows: readonly SentRow[]): Map<string, SentRow | null> {
  const byChange = new Map<string, SentRow | null>();
  for (const row of rows) {
    if (typeof row.change_id !== 'string') continue;
    const changeId = row.change_id.toLowerCase();
    byChange.set(changeId, byChange.has(changeId) ? null : row);
  }
  return byChange;
}

/**
 * Whether an `applied` row (`held`, answered for the change `changeId`) goes back as its version
 * only: the device sent that change once, and the row is held exactly as it sent it.
 */
export function answeredAsVersion(
  table: TableName,
  held: Record<string, unknown>,
  changeId: string | null | undefined,
  byChange: ReadonlyMap<string, SentRow | null>,
): boolean {
  const pushed = changeId ? byChange.get(changeId) : undefined;
  return !!pushed && holdsAsPushed(table, held, pushed);
}

/** `applied` split: rows held exactly as sent go to `stored_as_pushed` as versions, the rest stay whole. */
export function versionsAnswer(
  applied: Applied,
  sent: SentChanges,
): { applied: Applied; stored_as_pushed: NonNullable<PushResponse['stored_as_pushed']> } {
  const whole: Applied = {};
  const versions: NonNullable<PushResponse['stored_as_pushed']> = {};
  for (const [table, rows] of Object.entries(applied) as [TableName, AppliedRows | undefined][]) {
    if (!rows) continue;
    const byChange = sentByChangeId(sent[table] ?? []);
    const changed: AppliedRows = [];
    const unchanged: StoredAsPushed[] = [];
    for (const row of rows) {
      if (answeredAsVersion(table, row, row.change_id, byChange)) {
        unchanged.push({ id: row.id, server_version: row.server_version, change_id: row.change_id! });
      } else {
        changed.push(row);
      }
    }
    whole[table] = changed;
    if (unchanged.length > 0) versions[table] = unchanged;
  }
  return { applied: whole, stored_as_pushed: versions };
}
