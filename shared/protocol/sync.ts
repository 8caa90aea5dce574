// The wire protocol of the seed (POST /api/v1/sync/pull, POST /api/v1/sync/push,
// GET /api/v1/sync/status), as zod schemas. Fields may be added to the seed's, none removed or
// renamed. Both the server and the clients parse what arrives with these.
import { z } from 'zod';
import {
  ConflictRule,
  PG_BIGINT_MAX,
  isoTimestamp,
  Role,
  rowSchemas,
  tableNames,
  TableNameSchema,
  type TableName,
} from '../tables.js';

export const PROTOCOL_VERSION = '1.0.0';
export const API_PREFIX = '/api/v1';

export const deviceId = z
  .string()
  .min(1, 'device_id is required')
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'device_id may only hold letters, digits and . _ : -');

/**
 * A store's code (`S001`), as rows name it in `store_id` and as a store device's scope is given
 * (`device:add --store`, `device:scope`).
 */
export const storeCode = z
  .string()
  .min(1, 'store is required')
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'store may only hold letters, digits and . _ : -');

/**
 * Opaque pull position: `<txid>.<version>`, the position of the last row a device has been served
 * (invariant 1: passing it back never skips a row). A bare `<version>` (what servers before
 * positions handed out) is still accepted and means `0.<version>`.
 */
export const Cursor = z
  .string()
  .regex(
    /^\d{1,19}(\.\d{1,19})?(~\d{1,19}\.\d{1,19}~\d{1,19}\.\d{1,19})?$/,
    'cursor must be the opaque cursor a pull returned',
  )
  // Each part is a PostgreSQL bigint: a larger one was never handed out (and would reach the
  // database as a value it refuses, i.e. look like the server's fault).
  // zod runs this check after a failed regex too: only digits are ever converted.
  .refine((cursor) => cursor.split(/[.~]/).every((part) => !/^\d+$/.test(part) || BigInt(part) <= PG_BIGINT_MAX), {
    message: 'cursor must be the opaque cursor a pull returned (a part is beyond any position)',
  });
export type Cursor = z.infer<typeof Cursor>;

/** What the server adds to every row it sends; clients never set these. */
export const serverColumns = {
  server_version: z.number().int(),
  server_updated_at: isoTimestamp,
  written_by: z.string(),
};
export const serverColumnNames = Object.keys(serverColumns);

/** Each table's row schema with more fields added (server bookkeeping, change metadata). */
const extendEachTable = <Ext extends z.ZodRawShape>(extra: Ext) =>
  Object.fromEntries(tableNames.map((table) => [table, rowSchemas[table].extend(extra)])) as unknown as {
    [T in TableName]: z.ZodObject<(typeof rowSchemas)[T]['shape'] & Ext, z.core.$strict>;
  };

export const serverRowSchemas = extendEachTable(serverColumns);

export type ServerRow<T extends TableName = TableName> = z.output<(typeof rowSchemas)[T]> & {
  server_version: number;
  server_updated_at: string;
  written_by: string;
};

// ---- pull ----

/**
 * The most rows a pull page may be asked for. 10,000: the engine applies each page in one SQLite
 * commit as it arrives while the server reads the next, and a commit of 10,000 random-key rows
 * costs the device a good deal less per row than two of 5000 (engine.md, *Page size*). A page
 * also ends near 8 MB (server PAGE_BYTES), whatever the limit.
 */
export const MAX_PULL_PAGE = 10_000;

export const PullRequest = z.object({
  device_id: deviceId,
  /** Seed field: the `timestamp` of the previous pull; null or absent means full sync. */
  last_sync_timestamp: isoTimestamp.nullable().optional(),
  /** Added: the `cursor` of the previous page; preferred over last_sync_timestamp. */
  cursor: Cursor.nullable().optional(),
  /** Default: every table the device's role pulls. */
  tables: z.array(TableNameSchema).min(1, 'tables must name at least one table').optional(),
  /** Added: rows per page (default 1000, at most MAX_PULL_PAGE). */
  limit: z.int().min(1).max(MAX_PULL_PAGE).optional(),
  /**
   * Added: whether the answer carries `total` (default true). Counting the rows left costs a scan
   * of them; a client that shows progress from the first page's total asks on that page only.
   */
  with_total: z.boolean().optional(),
  /**
   * Added: 'arrays' asks for each row as an array of its values, in the order the answer's
   * `columns` lists for its table (default 'objects'). The keys are about a third of a row's JSON:
   * without them a page is smaller to build, send, decode and parse, and makes fewer objects.
   */
  row_format: z.enum(['objects', 'arrays']).optional(),
});
export type PullRequest = z.input<typeof PullRequest>;

/** Rows of a pull answer asked as arrays (`row_format: 'arrays'`): one array of values per row. */
const PulledArrayRow = z.array(z.unknown());

export const PullResponse = z.object({
  success: z.literal(true),
  timestamp: isoTimestamp,
  changes: z.partialRecord(TableNameSchema, z.array(z.record(z.string(), z.unknown()))),
  conflicts: z.null(),
  /** Added: pass back to get the next page / the next delta. */
  cursor: Cursor,
  /** Added: more rows wait beyond this page. */
  has_more: z.boolean(),
  /** Added: rows after the request's cursor in all, for progress (rows done / total); absent when not asked for. */
  total: z.int().optional(),
  /**
   * Added: ids of rows that left this device's scope (a store device moved to another store, a
   * row moved to another store): delete them locally, queue nothing. They are not deleted on the
   * server. Absent when there are none.
   */
  removed: z.partialRecord(TableNameSchema, z.array(z.string())).optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/**
 * The answer to a pull with `row_format: 'arrays'`: `columns` names, per table, the values of each
 * of its rows in `changes`, in order (every table pulled, whether or not the page has rows of it).
 */
export const PullArraysResponse = PullResponse.extend({
  changes: z.partialRecord(TableNameSchema, z.array(PulledArrayRow)),
  columns: z.partialRecord(TableNameSchema, z.array(z.string())),
});
export type PullArraysResponse = z.infer<typeof PullArraysResponse>;

/**
 * Added: response headers of a pull answer that say, before its body, where the next page starts:
 * the body's `cursor`, `timestamp` and `has_more` ('1' or '0'), the same values. A client may ask
 * for the next page as soon as the headers arrive, so the server reads it while the client still
 * receives, decompresses and parses this one (on a 10,000-row page, tens of milliseconds in which
 * the server had nothing to do). The body stays authoritative: a client whose body says otherwise
 * drops that early request and asks again from the body's cursor. An older client ignores them;
 * an older server does not send them (its clients ask after the body, as before).
 */
export const PULL_NEXT_HEADERS = {
  cursor: 'x-pull-cursor',
  timestamp: 'x-pull-timestamp',
  hasMore: 'x-pull-has-more',
} as const;

/** Where the next page starts, as the headers of a pull answer say it (PULL_NEXT_HEADERS). */
export interface PullNext {
  cursor: string;
  timestamp: string;
  has_more: boolean;
}

// ---- push ----

/** A pushed row: the table's columns plus the id of the queued change that made it. */
export const changeMeta = {
  /** Makes a retried push idempotent: a change id the server already applied is not applied again. */
  change_id: z.uuid({ message: 'change_id must be a UUID' }).optional(),
  /**
   * Added: the `server_version` of the row the edit was made on (the device's copy before its first
   * unpushed edit). With it the server merges field by field against the row as it was at that
   * version; without it (seed clients, rows new to the server) whole rows conflict as before.
   */
  base_version: z.int({ message: 'base_version must be an integer' }).min(0).optional(),
};

export const pushRowSchemas = extendEachTable(changeMeta);

const pushChangesShape = Object.fromEntries(
  tableNames.map((table) => [table, z.array(pushRowSchemas[table]).optional()]),
) as { [T in TableName]: z.ZodOptional<z.ZodArray<(typeof pushRowSchemas)[T]>> };

export const PushChanges = z.strictObject(pushChangesShape, {
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `unknown table ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; known tables: ${tableNames.join(', ')}`
      : undefined,
});

export const PushRequest = z.object({
  device_id: deviceId,
  /** Seed field: the device's clock when it sent the push (lets the server correct clock skew). */
  timestamp: isoTimestamp,
  /** Added: the `timestamp` of the device's latest pull (what the device had seen, so the server can tell a concurrent modification). */
  last_sync_timestamp: isoTimestamp.nullable().optional(),
  /** Added: the `cursor` of the device's latest pull; preferred over last_sync_timestamp. */
  cursor: Cursor.nullable().optional(),
  changes: PushChanges,
  /**
   * Added: how the answer gives back the rows the server holds exactly as they were pushed (nearly
   * every row of an ordinary push). `full` (default, the seed's answer): every row in full in
   * `applied`. `versions`: such a row comes back in `stored_as_pushed` as its id, server_version
   * and change_id only, and `applied` holds only the rows the server changed (a merge, a winner, a
   * value it spelled otherwise). A client that asks must also read a full answer (older servers).
   */
  answer: z.enum(['full', 'versions']).optional(),
});
export type PushRequest = z.input<typeof PushRequest>;
export type ParsedPushRequest = z.output<typeof PushRequest>;

export const Resolution = z.enum(['client_wins', 'server_wins']);
export type Resolution = z.infer<typeof Resolution>;

/** Added: one field both sides changed from the same base, and which value the rule kept. */
export const FieldConflict = z.object({
  field: z.string(),
  client_value: z.unknown(),
  server_value: z.unknown(),
  /** The value both edits started from. */
  base_value: z.unknown(),
  resolution: Resolution,
});
export type FieldConflict = z.infer<typeof FieldConflict>;

export const Conflict = z.object({
  table: TableNameSchema,
  record_id: z.string(),
  client_data: z.record(z.string(), z.unknown()),
  server_data: z.record(z.string(), z.unknown()),
  resolution: Resolution,
  rule: ConflictRule,
  /** Added: the queued change that lost or won. */
  change_id: z.string().nullable().optional(),
  /** Added: when the server decided. */
  decided_at: isoTimestamp.optional(),
  /**
   * Added: when each side's edit was made, on the server's clock (each device's `updated_at`
   * corrected by its clock offset at push time). latest_wins compares these; a person recognises
   * them where a device clock a day off would mislead. Null when unknown (rows of older servers).
   */
  client_edited_at: isoTimestamp.nullable().optional(),
  server_edited_at: isoTimestamp.nullable().optional(),
  /**
   * Added: a field-level conflict (the push carried base_version): only these fields were changed
   * on both sides, each decided by the rule; every other field of both edits was kept (the
   * `applied` row is the merge). Absent: a whole-row conflict, as the seed's.
   */
  fields: z.array(FieldConflict).optional(),
});
export type Conflict = z.infer<typeof Conflict>;

export const RejectedChange = z.object({
  table: TableNameSchema,
  record_id: z.string(),
  change_id: z.string().nullable(),
  reason: z.string(),
});
export type RejectedChange = z.infer<typeof RejectedChange>;

/** Added: a change the server merged field by field with edits made since its base_version. */
export const MergedChange = z.object({
  table: TableNameSchema,
  record_id: z.string(),
  change_id: z.string().nullable(),
  /** Fields taken from the push. */
  pushed: z.array(z.string()),
  /** Fields kept from the server (others' edits since the base). */
  kept: z.array(z.string()),
  /** Fields changed on both sides, decided by the rule (the conflict of the same change lists them). */
  conflicted: z.array(z.string()),
});
export type MergedChange = z.infer<typeof MergedChange>;

/**
 * Added: a pushed row the server now holds exactly as pushed (every wire column the same value,
 * spelled the same), named by its change: only the version is new to the device.
 */
export const StoredAsPushed = z.object({
  id: z.string(),
  server_version: z.int(),
  change_id: z.string(),
});
export type StoredAsPushed = z.infer<typeof StoredAsPushed>;

export const PushResponse = z.object({
  success: z.literal(true),
  timestamp: isoTimestamp,
  /**
   * Per table, the row as the server now holds it (the winner), with its server version. With
   * `answer: 'versions'` only the rows that are not in `stored_as_pushed`.
   */
  applied: z.partialRecord(
    TableNameSchema,
    z.array(
      z
        .object({ id: z.string(), server_version: z.number(), change_id: z.string().nullable().optional() })
        .passthrough(),
    ),
  ),
  conflicts: z.array(Conflict),
  /** Added: changes of this push the server had already applied (a retry after a lost response). */
  duplicates: z.int().optional(),
  /**
   * Added: changes refused for good, each alone (e.g. a submission naming a form the server never
   * had); nothing of them was written, everything else of the push was. The device sets them aside
   * with the reason (needs attention) and goes on.
   */
  rejected: z.array(RejectedChange).optional(),
  /** Added: changes merged field by field (their rows in `applied` are the merges, to adopt). */
  merged: z.array(MergedChange).optional(),
  /** Added, for `answer: 'versions'`: per table, the rows held exactly as pushed, by version only. */
  stored_as_pushed: z.partialRecord(TableNameSchema, z.array(StoredAsPushed)).optional(),
});
export type PushResponse = z.infer<typeof PushResponse>;

// ---- status ----

export const StatusResponse = z.object({
  status: z.literal('online'),
  timestamp: isoTimestamp,
  version: z.string(),
  tables: z.array(TableNameSchema),
  active_devices: z.int(),
  last_sync: z.record(z.string(), isoTimestamp.nullable()),
});
export type StatusResponse = z.infer<typeof StatusResponse>;

// ---- audit ----

export const AuditQuery = z.object({
  table: TableNameSchema,
  record_id: z.uuid({ message: 'record_id must be a UUID' }),
});

export const AuditEntry = z.object({
  id: z.number(),
  at: isoTimestamp,
  device_id: z.string(),
  table: TableNameSchema,
  record_id: z.string(),
  operation: z.enum(['INSERT', 'UPDATE', 'DELETE']),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  /** `merged`: a field-level merge was stored (`after` is the merged row, `merge` names the fields). */
  outcome: z.enum(['applied', 'client_wins', 'server_wins', 'merged']),
  rule: ConflictRule.nullable(),
  change_id: z.string().nullable(),
  /** The version the change gave the row (null when it lost: the row did not change). */
  server_version: z.number().nullable(),
  merge: z
    .object({
      /** Fields taken from the push (only the pusher changed them). */
      pushed: z.array(z.string()),
      /** Fields kept from the server (only others changed them since the base). */
      kept: z.array(z.string()),
      /** Fields both changed differently, decided by the rule (listed in the conflict). */
      conflicted: z.array(z.string()),
    })
    .nullable()
    .optional(),
  /** Added: the store the pushing device belonged to; null for a manager (every store). */
  scope: z.string().nullable().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditResponse = z.object({ success: z.literal(true), entries: z.array(AuditEntry) });

// ---- errors ----

export const ErrorResponse = z.object({
  success: z.literal(false),
  error: z.string(),
  /** Which part of the request is wrong, when it can be said (e.g. changes.forms[0].title). */
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

export const DeviceRole = Role;
