// The row as it was at a push's base_version, for the field-level merge (merge.ts). No versions
// table: the audit log already holds every stored version's image. An entry whose outcome is not
// `server_wins` pairs `after` (the row as the device sent it and as it was stored, or the merged
// row as stored) with the version it got; a `server_wins` entry holds the loser under the held
// version, so it never counts. A version with no such entry (written by a path that does not go
// through a push) has no image: that change falls back to the row-level rule.
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { TableName } from '../../shared/tables.js';
import type { Queryable } from '../db/client.js';
import { audit_log } from '../db/schema.js';
import type { CurrentRow, PushedRow } from './decide.js';
import { wireRowFromPg, type WireRow } from './rows.js';

/** Images only for the rows that need one: a base_version older than the held row. */
export async function baseImages(
  tx: Queryable,
  table: TableName,
  rows: readonly PushedRow[],
  current: Map<string, CurrentRow>,
): Promise<Map<string, WireRow>> {
  const wanted = new Map<string, number>();
  for (const row of rows) {
    const held = current.get(row.id);
    if (row.base_version !== undefined && held && held.row.server_version !== row.base_version) {
      wanted.set(row.id, row.base_version);
    }
  }
  const images = new Map<string, WireRow>();
  if (wanted.size === 0) return images;
  const found = await tx
    .select({ record_id: audit_log.record_id, server_version: audit_log.server_version, after: audit_log.after })
    .from(audit_log)
    .where(
      and(
        eq(audit_log.table_name, table),
        inArray(audit_log.record_id, [...wanted.keys()]),
        inArray(audit_log.server_version, [...new Set(wanted.values())]),
        ne(audit_log.outcome, 'server_wins'),
      ),
    );
  for (const entry of found) {
    if (wanted.get(entry.record_id) === entry.server_version && entry.after) {
      images.set(entry.record_id, wireRowFromPg(table, entry.after as Record<string, unknown>));
    }
  }
  return images;
}
