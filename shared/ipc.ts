// The IPC contract between the Store Manager's renderer and its main process: every channel is a
// name plus zod schemas for its request and its reply. The Electron preload and the web host
// bridge expose exactly these channels as `window.insight`; main validates every request against
// them (main/ipc); the renderer's react-query hooks take their types from them. Nothing here
// knows SQL, Node or Electron.
import { z } from 'zod';
import {
  DeviceActivityQuery,
  DeviceActivityResponse,
  DeviceMoveRequest,
  DeviceRevokeRequest,
  DeviceRevokeResponse,
  DeviceScopeResponse,
} from './protocol/analytics.js';
import {
  ConflictRule,
  fieldTypes,
  formStatuses,
  isoTimestamp,
  Role,
  rowSchemas,
  storeCodePattern,
  submissionStatuses,
  TableNameSchema,
} from './tables.js';
import { SyncMode } from './protocol/live.js';
import { Conflict, FieldConflict, MergedChange } from './protocol/sync.js';

const id = z.uuid();
const FormRow = rowSchemas.forms;
const SectionRow = rowSchemas.form_sections;
const FieldRow = rowSchemas.fields;

// ---- shapes the renderer shows ----

export const FormSummary = FormRow.extend({ section_count: z.int(), field_count: z.int() });
export const FormDetail = z.object({
  form: FormRow,
  sections: z.array(SectionRow),
  fields: z.array(FieldRow),
});
export type FormDetail = z.infer<typeof FormDetail>;

/** What the form editor saves in one go: the form, its sections and fields (ids made by main when absent). */
export const FormDraft = z.object({
  form: z.object({
    id: id.optional(),
    title: z.string().trim().min(1, 'A form needs a title').max(500, 'Keep the title under 500 characters'),
    description: z.string().max(10_000, 'Keep the description under 10,000 characters').nullable().default(null),
    status: z.enum(formStatuses).default('draft'),
  }),
  sections: z.array(
    z.object({
      id: id.optional(),
      title: z.string().max(500, 'Keep a section title under 500 characters').nullable().default(null),
      position: z.int().min(0),
    }),
  ),
  fields: z.array(
    z.object({
      id: id.optional(),
      /** Index into `sections` (new sections have no id yet); null = no section. */
      section_index: z.int().min(0).nullable(),
      label: z.string().trim().min(1, 'Every field needs a label').max(500, 'Keep a field label under 500 characters'),
      type: z.enum(fieldTypes),
      required: z.boolean(),
      options: z.json().nullable().default(null),
      position: z.int().min(0),
    }),
  ),
});
export type FormDraft = z.input<typeof FormDraft>;

/** What narrows the submissions shown (the list, its CSV and the completion counts alike). */
export const SubmissionScope = z.object({
  form_id: id.optional(),
  store_id: z.string().optional(),
  status: z.enum(submissionStatuses).optional(),
  from: isoTimestamp.optional(),
  to: isoTimestamp.optional(),
  /** Words found in the form title, the store or who submitted it (case-insensitive, in SQL). */
  search: z.string().trim().max(200, 'Search for at most 200 characters').optional(),
});
export type SubmissionScope = z.input<typeof SubmissionScope>;
/** The list's sortable columns; without one the list is most recently changed first. */
export const submissionSortColumns = ['form', 'store', 'status', 'submitted_by', 'updated_at'] as const;
export const SubmissionFilter = SubmissionScope.extend({
  sort: z.enum(submissionSortColumns).optional(),
  direction: z.enum(['asc', 'desc']).optional(),
  offset: z.int().min(0).default(0),
  limit: z.int().min(1).max(1000).default(200),
});
export type SubmissionFilter = z.input<typeof SubmissionFilter>;

export const SubmissionListRow = rowSchemas.submissions.extend({ form_title: z.string().nullable() });
export const SubmissionDetail = z.object({
  submission: SubmissionListRow,
  answers: z.array(
    rowSchemas.submission_answers.extend({
      field_label: z.string().nullable(),
      field_type: z.string().nullable(),
      /** The section the field sits in (null: none), so the detail groups answers as the form does. */
      section_id: z.string().nullable().default(null),
      section_title: z.string().nullable().default(null),
    }),
  ),
});
export const CompletionCount = z.object({
  form_id: z.string(),
  form_title: z.string().nullable(),
  store_id: z.string().nullable(),
  completed: z.int(),
  in_progress: z.int(),
});

/** KPI figures are amounts, counts and percentages: anything past a billion is a typing slip. */
export const KPI_LIMIT = 1_000_000_000;
const kpiNumber = (what: string) =>
  z
    .number({ error: `The ${what} must be a number` })
    .min(-KPI_LIMIT, `The ${what} must be between −1,000,000,000 and 1,000,000,000`)
    .max(KPI_LIMIT, `The ${what} must be between −1,000,000,000 and 1,000,000,000`);

/**
 * One value per store, metric and period: entering it again for the same three edits that value
 * (main/repos/kpis.ts). A period picked in the app is a day (YYYY-MM-DD); older rows may hold a
 * month (YYYY-MM) or free text, which still sort and show as they are.
 */
export const KpiInput = z.object({
  metric: z.string().trim().min(1, 'Name the metric').max(200),
  value: kpiNumber('value'),
  store_id: z.string().trim().max(200).nullable().default(null),
  period: z.string().trim().max(50).nullable().default(null),
  target: kpiNumber('target').nullable().default(null),
});

/** Editing one KPI value in place (a cell of the overview). */
export const KpiUpdate = z.object({ id, value: kpiNumber('value'), target: kpiNumber('target').nullable() });

/** The overview's cell: the latest value of one metric at one store (latest period, then latest entry). */
export const KpiCell = rowSchemas.kpi_data.pick({
  id: true,
  metric: true,
  store_id: true,
  value: true,
  target: true,
  period: true,
  updated_at: true,
});

/** One store's value of a metric in one period, for the dashboard's trend chart. */
export const KpiTrendPoint = rowSchemas.kpi_data.pick({ store_id: true, period: true, value: true, target: true });

const localDay = z.iso.date({ message: 'must be a day such as 2026-11-30' });

/**
 * The dashboard's "today" and "this week" in the manager's own days: the renderer knows the local
 * calendar, main counts in SQL. Completion = completed submissions per store and published form.
 */
export const CompletionQuery = z.object({
  today: localDay,
  week_start: localDay,
  /** Minutes to add to UTC to get local time (e.g. 60 in Paris in winter). */
  utc_offset_minutes: z
    .int()
    .min(-14 * 60)
    .max(14 * 60),
});
export const CompletionCell = z.object({
  form_id: z.string(),
  form_title: z.string(),
  store_id: z.string(),
  completed_today: z.int(),
  /** Days of this week (Monday on) with at least one completed submission. */
  days_done_week: z.int(),
  /** Days of this week so far, today included: one submission expected on each. */
  days_expected_week: z.int(),
  /** missing: none today; behind: today done but earlier days of the week missed; done: every day so far. */
  state: z.enum(['missing', 'behind', 'done']),
});
export type CompletionCell = z.infer<typeof CompletionCell>;

export const TeamInput = z.object({
  id: id.optional(),
  name: z.string().trim().min(1, 'A team member needs a name').max(500),
  role: z.string().max(200).nullable().default(null),
  store_id: z.string().max(200).nullable().default(null),
  email: z.email('Enter an e-mail address like ana@example.com').max(320).nullable().default(null),
  active: z.boolean().default(true),
});

/** The background sync interval, in whole minutes: at least once a day, at most once a minute. */
export const SYNC_INTERVAL_MINUTES = { min: 1, max: 1440, default: 5 } as const;
export const SyncIntervalMinutes = z.int().min(SYNC_INTERVAL_MINUTES.min).max(SYNC_INTERVAL_MINUTES.max);

/** Adding (no id) or editing a store; deactivating is an edit with `active: false`. */
// strictObject: a misspelt field ("regoin") is refused, not silently dropped.
export const StoreInput = z.strictObject({
  id: id.optional(),
  code: z
    .string()
    .trim()
    .min(1, 'A store needs a code, e.g. S001')
    .max(200)
    .regex(storeCodePattern, 'A store code may only hold letters, digits and . _ : - (e.g. S001)'),
  name: z.string().trim().min(1, 'A store needs a name').max(500),
  region: z.string().trim().max(200).nullable().default(null),
  active: z.boolean().default(true),
});

/** The app's own configuration (local to this Mac, never synced). */
export const AppConfig = z.object({
  server_url: z.string().nullable(),
  device_id: z.string().nullable(),
  has_token: z.boolean(),
  role: Role.nullable(),
  sync_interval_minutes: SyncIntervalMinutes,
});
export type AppConfig = z.infer<typeof AppConfig>;

export const ConnectionInput = z.object({
  server_url: z.url({ message: 'Enter the server address, e.g. http://nas.local:8000' }),
  device_id: z.string().trim().min(1, 'Enter this device’s id'),
  token: z.string().trim().min(1, 'Enter the device token'),
});

export const SyncState = z.enum(['not_configured', 'idle', 'pulling', 'pushing', 'offline', 'error', 'alert']);
export type SyncState = z.infer<typeof SyncState>;

export const SyncStatus = z.object({
  state: SyncState,
  online: z.boolean(),
  /** `live`: the server pokes this device on every change it may read; `polling`: the interval pull. */
  mode: SyncMode,
  last_sync_at: isoTimestamp.nullable(),
  pending_count: z.int(),
  /** Changes the server refused for good (invariant 10): shown with their reason. */
  needs_attention_count: z.int(),
  progress: z
    .object({ phase: z.enum(['pull', 'push']), done: z.int(), total: z.int(), table: TableNameSchema.nullable() })
    .nullable(),
  error: z.string().nullable(),
  attempt: z.int(),
  max_attempts: z.int(),
  next_retry_at: isoTimestamp.nullable(),
  open_conflicts: z.int(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const ConflictFieldView = FieldConflict.extend({ applied: z.boolean() });
export type ConflictFieldView = z.infer<typeof ConflictFieldView>;

export const ConflictView = z.object({
  id: z.int(),
  table: TableNameSchema,
  record_id: z.string(),
  rule: ConflictRule,
  resolution: z.enum(['client_wins', 'server_wins']),
  /** This device's version and the server's, as the server reported them. */
  client_data: z.record(z.string(), z.unknown()),
  server_data: z.record(z.string(), z.unknown()),
  /** Field names whose values differ (highlighted in the panel). */
  differing_fields: z.array(z.string()),
  decided_at: isoTimestamp,
  /** When each side's edit was made, on the server's clock (null: not reported; use the rows' updated_at). */
  client_edited_at: Conflict.shape.client_edited_at.unwrap(),
  server_edited_at: Conflict.shape.server_edited_at.unwrap(),
  status: z.enum(['open', 'accepted', 'overridden']),
  /**
   * A field-level conflict: only these fields were changed on both sides (the rest of both edits
   * was merged without a conflict); `applied` once the manager applied the other value of the
   * field. Null: a whole-row conflict (seed clients, a delete).
   */
  fields: z.array(ConflictFieldView).nullable().optional(),
});
export type ConflictView = z.infer<typeof ConflictView>;

/** A change of this device the server merged field by field with another device's edit. */
export const RecentMerge = MergedChange.extend({ merged_at: isoTimestamp });
export type RecentMerge = z.infer<typeof RecentMerge>;

export const PendingChangeView = z.object({
  id: z.int(),
  table: TableNameSchema,
  record_id: z.string(),
  operation: z.enum(['INSERT', 'UPDATE', 'DELETE']),
  created_at: isoTimestamp,
  attempts: z.int(),
  last_error: z.string().nullable(),
  needs_attention: z.boolean(),
});

// ---- the channels ----

const channel = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, reply: Res) => ({ request, reply });
const none = z.object({}).strict().default({});
const ok = z.object({ ok: z.literal(true) });
const byId = z.object({ id });

export const ipcChannels = {
  'forms:list': channel(none, z.array(FormSummary)),
  'forms:get': channel(byId, FormDetail),
  'forms:save': channel(FormDraft, FormDetail),
  'forms:set-status': channel(z.object({ id, status: z.enum(formStatuses) }), FormRow),
  'forms:delete': channel(byId, ok),
  'forms:from-template': channel(z.object({ template_id: id, title: z.string().trim().min(1).optional() }), FormDetail),
  'forms:save-as-template': channel(
    z.object({ form_id: id, name: z.string().trim().min(1, 'Name the template') }),
    rowSchemas.form_templates,
  ),
  'templates:list': channel(none, z.array(rowSchemas.form_templates)),
  'templates:rename': channel(
    z.object({
      id,
      name: z.string().trim().min(1, 'Name the template').max(500, 'Keep the name under 500 characters'),
    }),
    rowSchemas.form_templates,
  ),
  /** A tombstone: the template leaves every manager device at the next sync. */
  'templates:delete': channel(byId, ok),

  'submissions:list': channel(SubmissionFilter, z.object({ rows: z.array(SubmissionListRow), total: z.int() })),
  'submissions:get': channel(byId, SubmissionDetail),
  /** Counts per form and store of the submissions the same filters show (offset/sort aside). */
  'submissions:completion-counts': channel(SubmissionScope.strict().default({}), z.array(CompletionCount)),
  /** The manager removes a submission (a tombstone with its answers, synced like any edit). */
  'submissions:delete': channel(byId, ok),
  /** Undo of a delete: the submission and the answers its delete took come back (as new edits). */
  'submissions:restore': channel(byId, ok),

  'kpis:list': channel(
    z.object({ store_id: z.string().optional(), metric: z.string().optional() }).default({}),
    z.array(rowSchemas.kpi_data),
  ),
  /** Creates the value, or edits the live one of the same store, metric and period. */
  'kpis:create': channel(KpiInput, rowSchemas.kpi_data),
  'kpis:update': channel(KpiUpdate, rowSchemas.kpi_data),
  'kpis:delete': channel(byId, ok),
  /** Stores × metrics: the latest value of each, for the KPI overview. */
  'kpis:overview': channel(none, z.array(KpiCell)),
  /** One metric per store and period (from a period on), oldest first, one value per store and period. */
  'kpis:trend': channel(
    z.object({ metric: z.string().min(1), from: z.string().max(50).optional() }),
    z.array(KpiTrendPoint),
  ),

  /** Home: today's and this week's completion per store and published form, late and missing first. */
  'dashboard:completion': channel(CompletionQuery, z.array(CompletionCell)),

  'team:list': channel(none, z.array(rowSchemas.team)),
  'team:save': channel(TeamInput, rowSchemas.team),
  'team:delete': channel(byId, ok),

  'stores:list': channel(none, z.array(rowSchemas.stores)),
  /** Adds or edits a store (manager); deactivating is a save with active false (rows keep naming it). */
  'stores:save': channel(StoreInput, rowSchemas.stores),

  'config:get': channel(none, AppConfig),
  /** First-run setup and later changes: checks the connection before saving anything. */
  'config:connect': channel(ConnectionInput, AppConfig),
  'config:set-interval': channel(z.object({ sync_interval_minutes: SyncIntervalMinutes }), AppConfig),

  'sync:status': channel(none, SyncStatus),
  'sync:now': channel(none, ok),
  'sync:pending': channel(none, z.array(PendingChangeView)),
  /** The latest changes of this device the server merged with others' edits of other fields (newest first). */
  'sync:merges': channel(none, z.array(RecentMerge)),
  /** Drops a change the server refused for good; the server's version comes back on the next pull. */
  'sync:discard-change': channel(z.object({ id: z.int() }), ok),
  /** Manager only: every device's sync traffic, conflicts and failures, fetched from the server now. */
  'sync:devices': channel(DeviceActivityQuery, DeviceActivityResponse),
  /** Manager only: ends another device's token on the server now (a lost phone); never this Mac's. */
  'devices:revoke': channel(DeviceRevokeRequest, DeviceRevokeResponse),
  /**
   * Manager only: moves a store device to another store on the server now; its next sync brings
   * the new store's rows and removes the old store's from it (nothing is deleted on the server).
   */
  'devices:scope': channel(DeviceMoveRequest, DeviceScopeResponse),

  'conflicts:list': channel(
    z.object({ include_closed: z.boolean().default(false) }).default({ include_closed: false }),
    z.array(ConflictView),
  ),
  /** accept: keep the server's decision; apply_other: write the losing version again as a new edit. */
  'conflicts:resolve': channel(
    z.object({
      id: z.int(),
      action: z.enum(['accept', 'apply_other']),
      /** apply_other of one field of a field-level conflict; absent: every field (or the whole row). */
      field: z.string().min(1).optional(),
    }),
    ok,
  ),
} as const;

export type IpcChannel = keyof typeof ipcChannels;
export type IpcRequest<C extends IpcChannel> = z.input<(typeof ipcChannels)[C]['request']>;
export type IpcParsedRequest<C extends IpcChannel> = z.output<(typeof ipcChannels)[C]['request']>;
export type IpcReply<C extends IpcChannel> = z.output<(typeof ipcChannels)[C]['reply']>;

/** Every reply crosses the bridge in this envelope (as Signal does): errors are values, not throws. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Events main pushes to the renderer. */
export const ipcEvents = {
  'sync:status': SyncStatus,
  /** Tables whose local rows changed (a pull applied, a conflict adopted): the UI refetches. */
  'data:changed': z.object({ tables: z.array(TableNameSchema) }),
} as const;
export type IpcEvent = keyof typeof ipcEvents;
export type IpcEventPayload<E extends IpcEvent> = z.infer<(typeof ipcEvents)[E]>;

/** What the preload (Electron) or the web bridge (browser) puts on `window.insight`. */
export interface InsightApi {
  invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcReply<C>>>;
  on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
}

export const ipcChannelNames = Object.keys(ipcChannels) as IpcChannel[];
export const ipcEventNames = Object.keys(ipcEvents) as IpcEvent[];
