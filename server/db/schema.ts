// The server's PostgreSQL schema (drizzle pg-core): the synced tables of shared/tables.ts,
// each with the server's bookkeeping columns, plus devices, the append-only audit log and the
// recorded conflicts. Migrations are generated from this file by drizzle-kit
// (`npx drizzle-kit generate --config server/drizzle.config.ts`) and applied at start-up.
//
// Property names equal column names (snake_case) so a drizzle row IS a wire row: nothing is
// mapped by hand, and shared/tables.ts stays the one place that names the columns.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { AuditEntry, Resolution, type FieldConflict } from '../../shared/protocol/sync.js';
import { conflictRules, fieldTypes, formStatuses, roles, submissionStatuses } from '../../shared/tables.js';

/**
 * ONE global change version for every synced table. A row's versions only grow (its writers are
 * serialised by a per-record lock), so "only a newer server_version replaces a local row" holds on
 * every device. Versions are NOT commit-ordered across transactions: a pull orders rows by their
 * position (server_txid, server_version) instead (invariant 1, server/sync/position.ts).
 */
export const changeVersionSeq = pgSequence('change_version_seq', { startWith: 1 });

/** zod 4 gives an enum's options as an array; drizzle wants a non-empty tuple. */
const tuple = <T extends string>(values: readonly T[]) => values as [T, ...T[]];
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Columns every synced table has: the client's id/clock/tombstone and the server's bookkeeping. */
const synced = {
  id: uuid('id').primaryKey(),
  updated_at: instant('updated_at').notNull(),
  // Tombstone: rows are never hard-deleted, so a device offline for months still learns of a delete.
  deleted_at: instant('deleted_at'),
  server_version: bigint('server_version', { mode: 'number' })
    .notNull()
    .default(sql`nextval('change_version_seq')`),
  server_updated_at: instant('server_updated_at').notNull().defaultNow(),
  /**
   * The writing transaction's id (`pg_current_xact_id()`, an xid8 held as bigint: epoch and xid fit
   * in 63 bits for ages). With server_version it makes the row's position, which a pull serves only
   * once every older transaction has settled (invariant 1). Rows written before positions existed
   * hold 0: a cursor of the old kind (a bare version) is the position (0, version).
   */
  server_txid: bigint('server_txid', { mode: 'number' }).notNull().default(0),
  /**
   * When the edit was made, on the server's clock: the device's updated_at corrected by that
   * device's clock offset at push time (latest_wins compares these). Never set by clients; null for
   * rows written before it existed.
   */
  edited_at: instant('edited_at'),
  /** Device id of the last writer: conflict detection ("another device") and echo suppression. */
  written_by: text('written_by').notNull(),
};

export const forms = pgTable(
  'forms',
  {
    ...synced,
    title: text('title').notNull(),
    description: text('description'),
    status: text('status', { enum: formStatuses }).notNull().default('draft'),
  },
  (t) => [index('forms_position_idx').on(t.server_txid, t.server_version)],
);

export const form_sections = pgTable(
  'form_sections',
  {
    ...synced,
    form_id: uuid('form_id').notNull(),
    title: text('title'),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    index('form_sections_position_idx').on(t.server_txid, t.server_version),
    index('form_sections_form_idx').on(t.form_id),
  ],
);

export const fields = pgTable(
  'fields',
  {
    ...synced,
    form_id: uuid('form_id').notNull(),
    section_id: uuid('section_id'),
    label: text('label').notNull(),
    type: text('type', { enum: fieldTypes }).notNull().default('text'),
    required: boolean('required').notNull().default(false),
    options: jsonb('options'),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('fields_position_idx').on(t.server_txid, t.server_version), index('fields_form_idx').on(t.form_id)],
);

export const form_templates = pgTable(
  'form_templates',
  {
    ...synced,
    name: text('name').notNull(),
    definition: jsonb('definition'),
  },
  (t) => [index('form_templates_position_idx').on(t.server_txid, t.server_version)],
);

export const submissions = pgTable(
  'submissions',
  {
    ...synced,
    form_id: uuid('form_id').notNull(),
    status: text('status', { enum: submissionStatuses }).notNull(),
    store_id: text('store_id'),
    submitted_by: text('submitted_by'),
    completed_at: instant('completed_at'),
  },
  (t) => [
    index('submissions_position_idx').on(t.server_txid, t.server_version),
    index('submissions_form_idx').on(t.form_id),
  ],
);

export const submission_answers = pgTable(
  'submission_answers',
  {
    ...synced,
    submission_id: uuid('submission_id').notNull(),
    field_id: uuid('field_id').notNull(),
    value: jsonb('value'),
  },
  (t) => [
    index('submission_answers_position_idx').on(t.server_txid, t.server_version),
    index('submission_answers_submission_idx').on(t.submission_id),
  ],
);

export const team = pgTable(
  'team',
  {
    ...synced,
    name: text('name').notNull(),
    role: text('role'),
    store_id: text('store_id'),
    email: text('email'),
    active: boolean('active').notNull().default(true),
  },
  (t) => [index('team_position_idx').on(t.server_txid, t.server_version)],
);

export const kpi_data = pgTable(
  'kpi_data',
  {
    ...synced,
    metric: text('metric').notNull(),
    value: doublePrecision('value').notNull(),
    store_id: text('store_id'),
    period: text('period'),
    target: doublePrecision('target'),
  },
  (t) => [index('kpi_data_position_idx').on(t.server_txid, t.server_version)],
);

export const settings = pgTable(
  'settings',
  {
    ...synced,
    key: text('key').notNull(),
    value: jsonb('value'),
  },
  (t) => [index('settings_position_idx').on(t.server_txid, t.server_version)],
);

/** Stores as records; other tables name a store by its `code` in their `store_id`. */
export const stores = pgTable(
  'stores',
  {
    ...synced,
    code: text('code').notNull(),
    name: text('name').notNull(),
    region: text('region'),
    active: boolean('active').notNull().default(true),
  },
  // Not a unique index: the push refuses a row repeating a live code with a reason the manager can
  // act on (server/sync/unique-columns.ts); an index would turn a race into a 500 instead.
  (t) => [index('stores_position_idx').on(t.server_txid, t.server_version), index('stores_code_idx').on(t.code)],
);

/** The synced tables by wire name (the registry's names). */
export const syncedTables = {
  forms,
  form_sections,
  fields,
  form_templates,
  submissions,
  submission_answers,
  team,
  kpi_data,
  settings,
  stores,
};

// ---- server bookkeeping ----

export const devices = pgTable('devices', {
  id: text('id').primaryKey(),
  role: text('role', { enum: roles }).notNull(),
  /** sha256 of the bearer token; the token itself is never stored. */
  token_hash: text('token_hash').notNull().unique(),
  created_at: instant('created_at').notNull().defaultNow(),
  last_sync_at: instant('last_sync_at'),
  /** Set when the device is revoked (a lost phone): its token is refused from then on. Re-adding clears it. */
  revoked_at: instant('revoked_at'),
  /**
   * The store (its code, e.g. `S001`) a store device belongs to: it pulls and pushes only that
   * store's rows (invariant 12, server/sync/scope.ts). Null for a manager (every store), and for a
   * store device enrolled before scopes existed, which keeps seeing every store until it is given one.
   */
  store_id: text('store_id'),
});

/**
 * Every change of a device's store (`device:scope`, the manager route), with the position it was
 * made at: a pull from a position older than the device's latest change runs the re-scope phase
 * (server/sync/rescope.ts): every row of the new store, and the ids of the old stores' rows as
 * `removed`. Append-only.
 */
export const device_scope_changes = pgTable(
  'device_scope_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: instant('at').notNull().defaultNow(),
    device_id: text('device_id').notNull(),
    from_store: text('from_store'),
    to_store: text('to_store').notNull(),
    server_txid: bigint('server_txid', { mode: 'number' }).notNull(),
    server_version: bigint('server_version', { mode: 'number' }).notNull(),
    /** `cli` or the id of the manager device that moved it. */
    actor: text('actor').notNull(),
  },
  (t) => [index('device_scope_changes_device_idx').on(t.device_id, t.id)],
);

/**
 * A row whose store changed (a manager moved a submission, a KPI, a team member; an answer moves
 * with its submission), at the position of the write that moved it. Pulls serve an entry as
 * `removed` to store devices outside its new store, in position order with the rows, so the old
 * store's devices drop the row exactly when they pass that position (invariants 1 and 12).
 */
export const scope_moves = pgTable(
  'scope_moves',
  {
    table_name: text('table_name').notNull(),
    record_id: uuid('record_id').notNull(),
    from_store: text('from_store'),
    to_store: text('to_store'),
    server_txid: bigint('server_txid', { mode: 'number' }).notNull(),
    server_version: bigint('server_version', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.server_txid, t.server_version] })],
);

/**
 * Append-only record of what happened to device credentials: enrolled, re-keyed (a new token
 * replaced the old one), revoked; and by whom (`cli` or the manager device that did it). Kept
 * apart from audit_log, which records changes to synced rows.
 */
export const device_audit_log = pgTable(
  'device_audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: instant('at').notNull().defaultNow(),
    device_id: text('device_id').notNull(),
    action: text('action', { enum: ['enrolled', 'rekeyed', 'revoked', 'rescoped'] }).notNull(),
    /** `cli` (npm run device:add / device:revoke) or the id of the manager device that acted. */
    actor: text('actor').notNull(),
  },
  (t) => [index('device_audit_log_device_idx').on(t.device_id, t.id)],
);

/**
 * Append-only: every pushed change gets exactly one entry (invariant 2), losers included
 * (invariant 7). `before` is the server's row before the change, `after` the row as the device
 * sent it, or for a field-level merge (outcome `merged`) the merged row as stored; `outcome` says
 * whether it took effect. Every entry whose outcome is not `server_wins` pairs `after` with the
 * `server_version` it was stored as: the row's image at that version, the base of a later merge.
 */
export const audit_log = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: instant('at').notNull().defaultNow(),
    device_id: text('device_id').notNull(),
    change_id: uuid('change_id'),
    table_name: text('table_name').notNull(),
    record_id: uuid('record_id').notNull(),
    operation: text('operation', { enum: tuple(AuditEntry.shape.operation.options) }).notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    outcome: text('outcome', { enum: tuple(AuditEntry.shape.outcome.options) }).notNull(),
    rule: text('rule', { enum: conflictRules }),
    server_version: bigint('server_version', { mode: 'number' }),
    /** The change's edit time on the server's clock (see the synced tables' edited_at). */
    edited_at: instant('edited_at'),
    /** A field-level merge: the fields taken from the push, kept from the server, decided by the rule. */
    merge: jsonb('merge').$type<NonNullable<AuditEntry['merge']>>(),
    /** The store the pushing device belonged to (invariant 12); null: a manager or an unscoped device (every store). */
    scope: text('scope'),
  },
  (t) => [
    // The exactly-once guard: a change id already logged for this device is never applied again.
    uniqueIndex('audit_log_device_change_idx').on(t.device_id, t.change_id),
    index('audit_log_record_idx').on(t.table_name, t.record_id),
  ],
);

export const conflicts = pgTable(
  'conflicts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    decided_at: instant('decided_at').notNull().defaultNow(),
    device_id: text('device_id').notNull(),
    change_id: uuid('change_id'),
    table_name: text('table_name').notNull(),
    record_id: uuid('record_id').notNull(),
    client_data: jsonb('client_data').notNull(),
    server_data: jsonb('server_data').notNull(),
    resolution: text('resolution', { enum: tuple(Resolution.options) }).notNull(),
    rule: text('rule', { enum: conflictRules }).notNull(),
    /** Both sides' edit times on the server's clock: what the rule compared, what a person recognises. */
    client_edited_at: instant('client_edited_at'),
    server_edited_at: instant('server_edited_at'),
    /** A field-level conflict: the fields both sides changed, each with both values and the outcome. */
    fields: jsonb('fields').$type<FieldConflict[]>(),
  },
  (t) => [index('conflicts_device_change_idx').on(t.device_id, t.change_id)],
);

/**
 * Handed-out pull `timestamp`s and the position each stands for, so a client that passes back only
 * `last_sync_timestamp` resumes exactly where its page ended (invariant 1 for seed clients). One row
 * per pull page; `at` is unique (millisecond precision, as the wire spells it). Thinning keeps each
 * group's earliest instant with the group's smallest position (server/sync/watermarks.ts).
 */
export const sync_watermarks = pgTable('sync_watermarks', {
  at: instant('at').primaryKey(),
  server_txid: bigint('server_txid', { mode: 'number' }).notNull(),
  server_version: bigint('server_version', { mode: 'number' }).notNull(),
  /**
   * Set when the page ended inside a store device's re-scope phase: `<scan position>~<scope change
   * position>` (the rest of its cursor), so a `timestamp` passed back resumes the phase too.
   */
  rescope: text('rescope'),
});

/**
 * Sync analytics (GET /api/v1/sync/devices): each device's requests per UTC day, one row per
 * device and day, raised by one upsert when a request finishes (server/analytics/activity.ts).
 * The request log's lines are not queryable; this is their durable, countable part. Not a source
 * of truth for sync: losing an increment (the upsert failed) only understates a dashboard number.
 */
export const device_activity = pgTable(
  'device_activity',
  {
    device_id: text('device_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    pulls: integer('pulls').notNull().default(0),
    pushes: integer('pushes').notNull().default(0),
    rows_pulled: integer('rows_pulled').notNull().default(0),
    rows_pushed: integer('rows_pushed').notNull().default(0),
    failures: integer('failures').notNull().default(0),
    refused: integer('refused').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.device_id, t.day] })],
);
