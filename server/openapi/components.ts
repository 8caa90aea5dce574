// The named parts of the protocol document: which of the shared zod schemas (shared/protocol/,
// shared/tables.ts) become components/schemas/<name>, so every endpoint refers to one definition
// and a client generator makes one type per name. Nothing here restates a schema: the names (and a
// few descriptions for what a client cannot guess) are attached to the very instances the server
// parses with, in @asteasolutions/zod-to-openapi's metadata registry (its `.openapi()` would make
// copies, and only a schema made after the library patched zod has it). Those instances are also
// nested inside the request and response schemas, so a nested use becomes a $ref to the
// component instead of a copy.
//
// Any later description of the protocol (e.g. the live-sync WebSocket's messages, in OpenAPI or
// AsyncAPI) names its schemas here too, so both documents share one set of names.
import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import {
  ActivityDay,
  DeviceActivity,
  DeviceActivityResponse,
  DeviceDayActivity,
  DeviceRevokeResponse,
  DeviceScopeRequest,
  DeviceScopeResponse,
} from '../../shared/protocol/analytics.js';
import { LiveClientMessage, LiveHello, LivePing, LivePoke, LiveServerMessage } from '../../shared/protocol/live.js';
import {
  AuditEntry,
  AuditResponse,
  Conflict,
  FieldConflict,
  MergedChange,
  Cursor,
  deviceId,
  ErrorResponse,
  PullArraysResponse,
  PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
  pushRowSchemas,
  serverRowSchemas,
  StatusResponse,
} from '../../shared/protocol/sync.js';
import { rowSchemas, TableNameSchema, tableNames, type TableName } from '../../shared/tables.js';

export const serverRowName = (table: TableName) => `ServerRow_${table}`;
/** The live-sync WebSocket's messages (live-endpoint.ts points at them by these names). */
export const liveMessageNames = {
  poke: 'LivePoke',
  ping: 'LivePing',
  hello: 'LiveHello',
  server: 'LiveServerMessage',
  client: 'LiveClientMessage',
} as const;
export const pushRowName = (table: TableName) => `PushRow_${table}`;

/** The JSON column type (z.json(), recursive): named, so its recursion becomes a $ref. */
function jsonColumnSchema(): z.ZodType | undefined {
  for (const table of tableNames) {
    for (const column of Object.values(rowSchemas[table].shape) as z.ZodType[]) {
      let schema = column;
      // Peel .nullable() / .default() / .optional() down to the lazy z.json() itself.
      while ('innerType' in schema.def) schema = schema.def.innerType as z.ZodType;
      if (schema.def.type === 'lazy') return schema;
    }
  }
  return undefined;
}

const json = jsonColumnSchema();

/**
 * Component name → the shared schema it documents. The test checks each one against its schema.
 * Leaves first: the generator writes a component from the first use of it that it meets, so each
 * must be met bare before a use inside .nullable()/.default() that would otherwise colour it.
 * A schema also used as `.nullable()` (Cursor) stays unnamed: the generator would write that use
 * as allOf [the component, null], which no value matches (openapi.test.ts looks for it).
 */
export const protocolComponents: Record<string, z.ZodType> = {
  DeviceId: deviceId,
  TableName: TableNameSchema,
  ...(json ? { JsonValue: json } : {}),
  ...Object.fromEntries(tableNames.map((table) => [serverRowName(table), serverRowSchemas[table]])),
  ...Object.fromEntries(tableNames.map((table) => [pushRowName(table), pushRowSchemas[table]])),
  FieldConflict,
  Conflict,
  MergedChange,
  AuditEntry,
  ErrorResponse,
  PullRequest,
  PullResponse,
  PullArraysResponse,
  PushRequest,
  PushResponse,
  StatusResponse,
  AuditResponse,
  ActivityDay,
  DeviceDayActivity,
  DeviceActivity,
  DeviceActivityResponse,
  DeviceRevokeResponse,
  DeviceScopeRequest,
  DeviceScopeResponse,
  // Live sync (GET /api/v1/sync/live): each message, then the union of each direction. The
  // cursor they carry (LiveCursor) stays unnamed: hello's is nullable (see above).
  [liveMessageNames.poke]: LivePoke,
  [liveMessageNames.ping]: LivePing,
  [liveMessageNames.hello]: LiveHello,
  [liveMessageNames.server]: LiveServerMessage,
  [liveMessageNames.client]: LiveClientMessage,
};

/** What a client must know and the schema alone cannot say, keyed by the instance it belongs to. */
const descriptions = new Map<z.ZodType, string>([
  [
    Cursor,
    'Opaque pull position: store the `cursor` of the last pull and send it back. Passing it back never skips a row, whatever the clocks say.',
  ],
  [deviceId, 'The id the device was enrolled with; a token may only act as its own device.'],
  [
    PullRequest.shape.last_sync_timestamp,
    'Seed field: the `timestamp` of the previous pull; null or absent (with no `cursor`) means a full sync. `cursor`, when given, is used instead.',
  ],
  [
    PullRequest.shape.limit,
    'Rows per page (default 1000). A page also ends at about 8 MB, so `has_more` may be true on a shorter page.',
  ],
  [
    PullResponse.shape.changes,
    `Every requested table, each a list of rows shaped as components/schemas/${serverRowName('forms')} (one ServerRow_<table> per table). Deleted rows come as tombstones (\`deleted_at\` set).`,
  ],
  [PullResponse.shape.has_more, 'More rows wait beyond this page: pull again with this `cursor` until false.'],
  [
    PullRequest.shape.row_format,
    "`objects` (default): each row a JSON object (PullResponse). `arrays`: each row an array of its values, in the order the answer's `columns` names for its table (PullArraysResponse): a third fewer bytes.",
  ],
  [
    PullArraysResponse.shape.changes,
    'Every requested table, each a list of rows, each row the values of the columns `columns` names for its table, in that order (the columns of the ServerRow_<table> schema).',
  ],
  [
    PullArraysResponse.shape.columns,
    'Per requested table, the names of the values in each of its rows. Ignore columns you do not know; a column you store that is missing takes its default.',
  ],
  [
    PushRequest.shape.changes,
    'Per table, the rows this device changed (one PushRow_<table> each); a delete is the row with `deleted_at` set.',
  ],
  [
    LivePoke,
    'Server → device: tables this device may read changed, up to cursor `version`. Pull (with your own cursor) to get the rows; a poke is only a hint.',
  ],
  [LivePing, 'Server → device, every 30 s: keeps proxies from closing an idle socket.'],
  [
    LiveHello,
    'Device → server, after connecting: the `cursor` of its last pull (null before the first). Answered at once by a poke when anything newer exists.',
  ],
  [
    ErrorResponse,
    'Every refusal: a message naming the problem and, for a schema violation, the parts of the request at fault.',
  ],
]);

/**
 * Names the components in the generator's own metadata registry (the instances stay as they are
 * for zod; nothing else reads it). Idempotent: re-adding replaces the same metadata.
 */
export function nameProtocolComponents(): z.ZodType[] {
  const named = new Map<z.ZodType, string>();
  for (const [refId, schema] of Object.entries(protocolComponents)) {
    const twice = named.get(schema);
    if (twice) throw new Error(`one schema named twice in the protocol document: ${twice} and ${refId}`);
    named.set(schema, refId);
    const description = descriptions.get(schema);
    zodToOpenAPIRegistry.add(schema, { _internal: { refId }, ...(description ? { description } : {}) });
  }
  for (const [schema, description] of descriptions) {
    if (!named.has(schema)) zodToOpenAPIRegistry.add(schema, { description });
  }
  return [...named.keys()];
}
