// "Stored as pushed": the server holds a pushed row with every wire column unchanged, so the
// device only needs its new server_version. One rule for both sides: the device checks a full
// answer's rows with it (main/sync/pushed-rows.ts), and a server asked for `answer: 'versions'`
// uses it to decide which rows it may send back as versions only (server/sync/push-answer.ts).
// Because both ask the same question of the same values, a versions answer leaves the device's
// store exactly as the full answer would.
import { wireColumnsOf, type TableName } from '../tables.js';

/**
 * The same wire value: JSON values (objects, arrays) by their text, null and absent alike. Strict
 * on spelling (a time written otherwise, a uuid in other case, jsonb's reordered keys all
 * differ): the device then takes the server's spelling, as a pull would give it.
 */
export function sameWireValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  return typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b);
}

/** Whether `held` (the row as the server holds it) has every wire column of `pushed` unchanged. */
export function holdsAsPushed(
  table: TableName,
  held: Record<string, unknown>,
  pushed: Record<string, unknown>,
): boolean {
  for (const column of wireColumnsOf(table)) if (!sameWireValue(held[column], pushed[column])) return false;
  return true;
}
