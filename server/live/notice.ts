// What a committed push tells the other devices: the tables it wrote, and (read by the bus, see
// ChangeBus.announce) the position they reach. Computed in the route layer from the request and the
// push's answer, so the push itself knows nothing of live sync.
import type { ParsedPushRequest, PushResponse } from '../../shared/protocol/sync.js';
import type { TableName } from '../../shared/tables.js';
import { isScoped, scopeOf } from '../sync/scope.js';

/** The tables a push wrote rows to, whole or by version (none: nothing to announce). */
export const tablesOfPush = (request: ParsedPushRequest, response: PushResponse): TableName[] =>
  (Object.keys(request.changes) as TableName[]).filter(
    (table) => (response.applied[table]?.length ?? 0) + (response.stored_as_pushed?.[table]?.length ?? 0) > 0,
  );

/**
 * The store every row of a push to `tables` belongs to, or null when its rows may concern every
 * store. A store device with a store may push only rows of that store (invariant 12: the push is
 * refused whole otherwise), so a push of scoped tables alone is that store's. A manager's push may
 * move rows between stores or write unscoped tables: every device hears of it.
 */
export const storeOfPush = (device: { role: string; store_id?: string | null }, tables: TableName[]): string | null =>
  tables.every(isScoped) ? scopeOf(device) : null;
