// The Store Manager's local SQLite store (drizzle sqlite-core): the synced tables, mirroring
// the wire rows of shared/tables.ts, plus the engine's bookkeeping: pending_changes (the seed's
// outbox), sync_metadata (cursors, device identity, last success) and conflicts (the panel).
// Migrations are generated from this file by drizzle-kit (`npm run db:generate`).
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { ConflictFieldView } from '../../shared/ipc.js';

/** Columns every synced table has. server_version: the server's version of the row we hold (null: never synced). */
const synced = {
  id: text('id').primaryKey(),
  updated_at: text('updated_at').notNull(),
  deleted_at: text('deleted_at'),
  server_version: integer('server_version'),
};
const json = (name: string) => text(name, { mode: 'json' }).$type<unknown>();
const bool = (name: string) => integer(name, { mode: 'boolean' });

export const forms = sqliteTable('forms', {
  ...synced,
  title: text('title').notNull(),
  description: text('description'),
  status: text('status', { enum: ['draft', 'published', 'archived'] })
    .notNull()
    .default('draft'),
});

export const form_sections = sqliteTable(
  'form_sections',
  {
    ...synced,
    form_id: text('form_id').notNull(),
    title: text('title'),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('form_sections_form_idx').on(t.form_id)],
);

export const fields = sqliteTable(
  'fields',
  {
    ...synced,
    form_id: text('form_id').notNull(),
    section_id: text('section_id'),
    label: text('label').notNull(),
    type: text('type', { enum: ['text', 'number', 'boolean', 'choice', 'date'] })
      .notNull()
      .default('text'),
    required: bool('required').notNull().default(false),
    options: json('options'),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('fields_form_idx').on(t.form_id)],
);

export const form_templates = sqliteTable('form_templates', {
  ...synced,
  name: text('name').notNull(),
  definition: json('definition'),
});

export const submissions = sqliteTable(
  'submissions',
  {
    ...synced,
    form_id: text('form_id').notNull(),
    status: text('status', { enum: ['in_progress', 'completed'] }).notNull(),
    store_id: text('store_id'),
    submitted_by: text('submitted_by'),
    completed_at: text('completed_at'),
  },
  // The submissions list filters live rows by form / store / status and pages newest first over
  // 100k rows: partial indexes on live rows (deleted_at IS NULL) ending in (updated_at, id) let SQLite
  // count, filter and order from the index alone; completion counts group straight from the last.
  (t) => [
    index('submissions_live_updated_idx')
      .on(t.updated_at, t.id)
      .where(sql`deleted_at IS NULL`),
    index('submissions_live_form_idx')
      .on(t.form_id, t.updated_at, t.id)
      .where(sql`deleted_at IS NULL`),
    index('submissions_live_store_idx')
      .on(t.store_id, t.updated_at, t.id)
      .where(sql`deleted_at IS NULL`),
    index('submissions_live_status_idx')
      .on(t.status, t.updated_at, t.id)
      .where(sql`deleted_at IS NULL`),
    index('submissions_live_counts_idx')
      .on(t.form_id, t.store_id, t.status)
      .where(sql`deleted_at IS NULL`),
  ],
);

export const submission_answers = sqliteTable(
  'submission_answers',
  {
    ...synced,
    submission_id: text('submission_id').notNull(),
    field_id: text('field_id').notNull(),
    value: json('value'),
  },
  (t) => [index('submission_answers_submission_idx').on(t.submission_id, t.field_id)],
);

export const team = sqliteTable('team', {
  ...synced,
  name: text('name').notNull(),
  role: text('role'),
  store_id: text('store_id'),
  email: text('email'),
  active: bool('active').notNull().default(true),
});

export const kpi_data = sqliteTable(
  'kpi_data',
  {
    ...synced,
    metric: text('metric').notNull(),
    value: real('value').notNull(),
    store_id: text('store_id'),
    period: text('period'),
    target: real('target'),
  },
  (t) => [index('kpi_data_metric_idx').on(t.metric, t.store_id)],
);

export const settings = sqliteTable(
  'settings',
  {
    ...synced,
    key: text('key').notNull(),
    value: json('value'),
  },
  // Not unique: two managers may each create a key offline; readers take the latest row.
  (t) => [index('settings_key_idx').on(t.key)],
);

/** Stores as records (code, name, region); other tables name a store by its code in `store_id`. */
export const stores = sqliteTable('stores', {
  ...synced,
  code: text('code').notNull(),
  name: text('name').notNull(),
  region: text('region'),
  active: bool('active').notNull().default(true),
});

/** One drizzle table per synced table name; keyed like shared/tables.ts. */
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

// ---- engine bookkeeping (never synced) ----

/** The seed's outbox, plus what the engine needs to retry, order and report each change. */
export const pending_changes = sqliteTable(
  'pending_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    table_name: text('table_name').notNull(),
    record_id: text('record_id').notNull(),
    operation: text('operation', { enum: ['INSERT', 'UPDATE', 'DELETE'] }).notNull(),
    /** The whole row as it was written (JSON), so a push sends exactly what the user saved. */
    data: text('data'),
    created_at: integer('created_at').notNull(),
    /** Sent with the push; the server applies a change id at most once (invariant 2). */
    change_id: text('change_id').notNull(),
    attempts: integer('attempts').notNull().default(0),
    last_error: text('last_error'),
    /** The server refused this change for good (permission, validation): shown in the UI, skipped by the queue. */
    needs_attention: integer('needs_attention').notNull().default(0),
  },
  (t) => [
    uniqueIndex('pending_changes_change_id_idx').on(t.change_id),
    index('pending_changes_queue_idx').on(t.needs_attention, t.id),
    index('pending_changes_record_idx').on(t.table_name, t.record_id),
  ],
);

/** Key/value: `cursor:<table>`, `device_id`, `server_url`, `token`, `role`, `last_sync_at`, ... */
export const sync_metadata = sqliteTable('sync_metadata', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updated_at: text('updated_at')
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
});

/** Conflicts the server decided, for the conflict panel (invariant 7: a loser is never silently dropped). */
export const conflicts = sqliteTable(
  'conflicts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    table_name: text('table_name').notNull(),
    record_id: text('record_id').notNull(),
    rule: text('rule').notNull(),
    resolution: text('resolution', { enum: ['client_wins', 'server_wins'] }).notNull(),
    client_data: text('client_data', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    server_data: text('server_data', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    change_id: text('change_id'),
    decided_at: text('decided_at').notNull(),
    // When each side's edit was made on the server's clock (the server corrects each device's
    // clock offset): what the panel shows, since a device clock a day off would mislead. Null
    // for conflicts recorded before, or reported by a server that does not send them.
    client_edited_at: text('client_edited_at'),
    server_edited_at: text('server_edited_at'),
    status: text('status', { enum: ['open', 'accepted', 'overridden'] })
      .notNull()
      .default('open'),
    resolved_at: text('resolved_at'),
    /**
     * A field-level conflict (the server merged the rest of both edits): the fields both sides
     * changed, each with both values, the outcome and whether the manager applied the other value.
     * Null: a whole-row conflict.
     */
    fields: text('fields', { mode: 'json' }).$type<ConflictFieldView[]>(),
  },
  (t) => [
    index('conflicts_status_idx').on(t.status),
    // A retried push may report the same decision twice; the panel shows it once.
    uniqueIndex('conflicts_change_idx').on(t.table_name, t.record_id, t.change_id),
  ],
);
