// What a committed push tells the other devices: the tables it wrote and the cursor they reach.
// Computed in the route layer from the request and the push's answer, so the push itself knows
// nothing of live sync.
import type { ParsedPushRequest, PushResponse } from '../../shared/protocol/sync.js';
import type { TableName } from '../../shared/tables.js';
import type { ChangeNotice } from './bus.js';
import { pushedVersion } from './high-water.js';

export function noticeForPush(deviceId: string, request: ParsedPushRequest, response: PushResponse): ChangeNotice | null {
  const tables = (Object.keys(request.changes) as TableName[]).filter((table) => (response.applied[table]?.length ?? 0) > 0);
  const version = pushedVersion(response);
  if (tables.length === 0 || version === null) return null;
  return { tables, version, device_id: deviceId };
}
