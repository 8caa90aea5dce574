// The server's PostgreSQL schema (drizzle pg-core): the nine synced tables of shared/tables.ts,
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
import { AuditEntry, Resolution } from '../../shared/protocol/sync.js';
import { conflictRules, fieldTypes, formStatuses, roles, submissionStatuses } from '../../shared/tables.js';

/**
 * ONE global change version for every synced table (invariant 1). Pushes draw from it while
 * holding a transaction-scoped advisory lock, so versions are handed out and committed in order
 * across every server process; a pull cursor is the last version a device has seen.
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
  (t) => [index('forms_server_version_idx').on(t.server_version)],
);

export const form_sections = pgTable(
  'form_sections',
  {
    ...synced,
    form_id: uuid('form_id').notNull(),
    title: text('title'),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('form_sections_server_version_idx').on(t.server_version), index('form_sections_form_idx').on(t.form_id)],
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
  (t) => [index('fields_server_version_idx').on(t.server_version), index('fields_form_idx').on(t.form_id)],
);

export const form_templates = pgTable(
  'form_templates',
  {
    ...synced,
    name: text('name').notNull(),
    definition: jsonb('definition'),
  },
  (t) => [index('form_templates_server_version_idx').on(t.server_version)],
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
  (t) => [index('submissions_server_version_idx').on(t.server_version), index('submissions_form_idx').on(t.form_id)],
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
    index('submission_answers_server_version_idx').on(t.server_version),
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
  (t) => [index('team_server_version_idx').on(t.server_version)],
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
  (t) => [index('kpi_data_server_version_idx').on(t.server_version)],
);

export const settings = pgTable(
  'settings',
  {
    ...synced,
    key: text('key').notNull(),
    value: jsonb('value'),
  },
  (t) => [index('settings_server_version_idx').on(t.server_version)],
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
};

// ---- server bookkeeping ----

export const devices = pgTable('devices', {
  id: text('id').primaryKey(),
  role: text('role', { enum: roles }).notNull(),
  /** sha256 of the bearer token; the token itself is never stored. */
  token_hash: text('token_hash').notNull().unique(),
  created_at: instant('created_at').notNull().defaultNow(),
  last_sync_at: instant('last_sync_at'),
});

/**
 * Append-only: every pushed change gets exactly one entry (invariant 2), losers included
 * (invariant 7). `before` is the server's row before the change, `after` the row as the device
 * sent it; `outcome` says whether it took effect.
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
  },
  (t) => [index('conflicts_device_change_idx').on(t.device_id, t.change_id)],
);

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
