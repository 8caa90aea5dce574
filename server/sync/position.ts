// A row's position in the change stream: (server_txid, server_version), compared in that order.
// Pulls serve rows in position order, and only rows whose writing transaction is below the
// snapshot's xmin, so no transaction that is still running, or has not started, can later write a
// row at or below a position already handed out (invariant 1; the argument is in docs/server.md).
import { sql, type SQL } from 'drizzle-orm';

export interface Position {
  txid: bigint;
  version: bigint;
}

export const START: Position = { txid: 0n, version: 0n };

/** The cursor a device passes back: `<txid>.<version>`; a bare `<version>` is `0.<version>`. */
export function parseCursor(cursor: string): Position {
  const [a, b] = cursor.split('.');
  return b === undefined ? { txid: 0n, version: BigInt(a!) } : { txid: BigInt(a!), version: BigInt(b) };
}

export const formatCursor = (position: Position): string => `${position.txid}.${position.version}`;

/** formatCursor in SQL, for a position the database reads and spells itself (the live notice). */
export const cursorSql = (txid: SQL, version: SQL): SQL => sql`(${txid}::text || '.' || ${version}::text)`;

export const comparePositions = (a: Position, b: Position): number =>
  a.txid !== b.txid ? (a.txid < b.txid ? -1 : 1) : a.version !== b.version ? (a.version < b.version ? -1 : 1) : 0;

export const laterOf = (a: Position, b: Position): Position => (comparePositions(a, b) >= 0 ? a : b);

export const positionOf = (row: { server_txid: unknown; server_version: unknown }): Position => ({
  txid: BigInt(row.server_txid as number | string),
  version: BigInt(row.server_version as number | string),
});

/** SQL: the row of `table` lies after `position` (a row-value comparison the position index serves). */
export const after = (table: string, position: Position): SQL =>
  sql`(${sql.identifier(table)}.server_txid, ${sql.identifier(table)}.server_version) > (${position.txid.toString()}::bigint, ${position.version.toString()}::bigint)`;

/**
 * Where a pull that served every row below `horizon` (the snapshot's xmin) may resume: (horizon, 0)
 * lies after every row of a settled transaction and before every row of an unsettled one (versions
 * start at 1).
 */
export const settledUpTo = (horizon: bigint): Position => ({ txid: horizon, version: 0n });
