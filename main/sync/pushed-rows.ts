// Adopting the server's answer to a push for rows it stored exactly as pushed, which is nearly
// every row of an ordinary push: the values are our own (checked against the table's schema when
// the edit was queued, and still the local row, since no edit of the record is queued any more,
// invariant 4), so only the server_version is new. Checking the values against the pushed row and
// writing the version alone costs a fraction of parsing the row again with its zod schema and
// rewriting every column; a row the server changed (a merge, a winner, a value it normalised)
// takes the full path in push.ts.
import type { Statement } from 'better-sqlite3';
import { holdsAsPushed } from '../../shared/protocol/stored-as-pushed.js';
import type { TableName } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';

/**
 * Whether the server's row holds every wire column of `pushed` unchanged (the protocol's rule,
 * the one a server answering `answer: 'versions'` applies too), with a server_version the local
 * store can keep (what the full path's schema would ask of it).
 */
export function storedAsPushed(
  table: TableName,
  row: { server_version: unknown } & Record<string, unknown>,
  pushed: Record<string, unknown>,
): boolean {
  return Number.isSafeInteger(row.server_version) && holdsAsPushed(table, row, pushed);
}

const versionStatements = new WeakMap<LocalStore['sqlite'], Map<TableName, Statement<[number, string, number]>>>();

/**
 * Moves the local copy to the server's version, only forward (invariant 11), as the full upsert
 * would. False when nothing moved (no local row, or a version as new already held): the caller
 * then takes the full path, which settles both cases as before.
 */
export function adoptVersion(store: LocalStore, table: TableName, id: string, serverVersion: number): boolean {
  let perStore = versionStatements.get(store.sqlite);
  if (!perStore)
    versionStatements.set(store.sqlite, (perStore = new Map<TableName, Statement<[number, string, number]>>()));
  let statement = perStore.get(table);
  if (!statement) {
    statement = store.sqlite.prepare<[number, string, number]>(
      `UPDATE "${table}" SET server_version = ? WHERE id = ? AND (server_version IS NULL OR server_version < ?)`,
    );
    perStore.set(table, statement);
  }
  return statement.run(serverVersion, id, serverVersion).changes > 0;
}
