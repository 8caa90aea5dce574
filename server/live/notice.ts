// What a committed push tells the other devices: the tables it wrote and the position they reach.
// Computed in the route layer from the request, the push's answer and the tables' high-water
// position, so the push itself knows nothing of live sync.
import type { ParsedPushRequest, PushResponse } from '../../shared/protocol/sync.js';
import type { TableName } from '../../shared/tables.js';
import type { Queryable } from '../db/client.js';
import type { ChangeNotice } from './bus.js';
import { highWaterCursor } from './high-water.js';

export async function noticeForPush(
  db: Queryable,
  deviceId: string,
  request: ParsedPushRequest,
  response: PushResponse,
): Promise<ChangeNotice | null> {
  const tables = (Object.keys(request.changes) as TableName[]).filter(
    (table) => (response.applied[table]?.length ?? 0) + (response.stored_as_pushed?.[table]?.length ?? 0) > 0,
  );
  if (tables.length === 0) return null;
  const version = await highWaterCursor(db, tables);
  return version === null ? null : { tables, version, device_id: deviceId };
}
