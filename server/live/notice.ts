// What a committed push tells the other devices: the tables it wrote, and (read by the bus, see
// ChangeBus.announce) the position they reach. Computed in the route layer from the request and the
// push's answer, so the push itself knows nothing of live sync.
import type { ParsedPushRequest, PushResponse } from '../../shared/protocol/sync.js';
import type { TableName } from '../../shared/tables.js';

/** The tables a push wrote rows to, whole or by version (none: nothing to announce). */
export const tablesOfPush = (request: ParsedPushRequest, response: PushResponse): TableName[] =>
  (Object.keys(request.changes) as TableName[]).filter(
    (table) => (response.applied[table]?.length ?? 0) + (response.stored_as_pushed?.[table]?.length ?? 0) > 0,
  );
