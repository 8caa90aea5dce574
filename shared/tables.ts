// The table registry: one entry per synced table says what its rows look like on the wire (zod),
// which conflict rule decides between two versions, which roles may write and pull it, and which
// tables are its parents (so a push applies a submission before its answers).
// Adding a table is one entry here plus its two drizzle tables (server/db/schema.ts,
// main/db/schema.ts). Nothing else lists tables by hand.
import { z } from 'zod';

export const roles = ['manager', 'store'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

/** The seed's resolution rules, by name. */
export const conflictRules = ['manager_wins', 'latest_wins', 'server_wins'] as const;
export const ConflictRule = z.enum(conflictRules);
export type ConflictRule = z.infer<typeof ConflictRule>;

/**
 * `toISOString()` of a time the format check let through, parsed once: the year check and the
 * normalisation below both need it, and zod runs them one after the other on the same string (a
 * Date is a pure function of its string, so the last one can be reused). A time already written
 * the way `toISOString()` writes it (what every side sends) is its own normal form when its year
 * is not 0000: the format check has already vetted its month, day and clock ranges.
 */
const canonicalInstant = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
let lastInstant = '';
let lastDate = new Date(Number.NaN);
const parseInstant = (value: string): Date => {
  if (value !== lastInstant) {
    lastInstant = value;
    lastDate = new Date(value);
  }
  return lastDate;
};
const isCanonical = (value: string) => canonicalInstant.test(value) && !value.startsWith('0000');

/** ISO-8601 instant; normalised to `toISOString()` so every side compares the same string. */
export const isoTimestamp = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 timestamp, e.g. 2025-12-18T10:30:00Z' })
  // PostgreSQL has no year 0 (1 BC): such a time, or one that falls there once its offset is
  // applied, is refused here rather than by the database. A failed format check runs this too.
  .refine(
    (value) => isCanonical(value) || !(parseInstant(value).getUTCFullYear() < 1),
    'must be in the year 1 or later',
  )
  // A check that rewrites the value rather than a .transform: no pipe to run and allocate per
  // parse. Unlike a transform it runs after a failed check too, whose value is never returned:
  // an invalid time is left as it is (toISOString() would throw).
  .overwrite((value) => {
    if (isCanonical(value)) return value;
    const date = parseInstant(value);
    return Number.isNaN(date.getTime()) ? value : date.toISOString();
  });

/**
 * PostgreSQL's limits for the server's column types: a value beyond them passes JSON but the
 * database refuses it (a class-22 error), so the wire schemas refuse it first, naming the field.
 */
export const PG_INTEGER_MAX = 2_147_483_647;
export const PG_BIGINT_MAX = 9_223_372_036_854_775_807n;
/** A position in a list (sections, fields): an `integer` column on the server. */
const listPosition = z.int().min(0).max(PG_INTEGER_MAX).default(0);

const recordId = z.uuid({ message: 'must be a UUID' });
const text = (max = 2000) => z.string().max(max);
const optionalText = (max = 2000) => text(max).nullable().default(null);
const optionalJson = z.json().nullable().default(null);

/** Columns every synced row has: a client-made id, the writer's clock, a tombstone. */
const syncedColumns = {
  id: recordId,
  updated_at: isoTimestamp,
  deleted_at: isoTimestamp.nullable().default(null),
};

// strictObject: a column the registry does not know is an error, never silently dropped.
const row = <Shape extends z.ZodRawShape>(shape: Shape) => z.strictObject({ ...syncedColumns, ...shape });

/** What a store's code may hold: letters, digits and . _ : - (`S001`, `store-001`), as a device id may. */
export const storeCodePattern = /^[A-Za-z0-9._:-]+$/;
/** A store's code, e.g. `S001`: what `store_id` holds in every row that names a store. */
const storeCode = text(200)
  .min(1, 'is required')
  .regex(storeCodePattern, 'may only hold letters, digits and . _ : - (e.g. S001)');

export const formStatuses = ['draft', 'published', 'archived'] as const;
export const fieldTypes = ['text', 'number', 'boolean', 'choice', 'date'] as const;
export const submissionStatuses = ['in_progress', 'completed'] as const;

export const rowSchemas = {
  forms: row({
    title: text(500).min(1, 'is required'),
    description: optionalText(10_000),
    status: z.enum(formStatuses).default('draft'),
  }),
  form_sections: row({
    form_id: recordId,
    title: optionalText(500),
    position: listPosition,
  }),
  fields: row({
    form_id: recordId,
    section_id: recordId.nullable().default(null),
    label: text(500).min(1, 'is required'),
    type: z.enum(fieldTypes).default('text'),
    required: z.boolean().default(false),
    options: optionalJson,
    position: listPosition,
  }),
  form_templates: row({
    name: text(500).min(1, 'is required'),
    definition: optionalJson,
  }),
  submissions: row({
    form_id: recordId,
    status: z.enum(submissionStatuses),
    store_id: optionalText(200),
    submitted_by: optionalText(200),
    completed_at: isoTimestamp.nullable().default(null),
  }),
  submission_answers: row({
    submission_id: recordId,
    field_id: recordId,
    value: optionalJson,
  }),
  team: row({
    name: text(500).min(1, 'is required'),
    role: optionalText(200),
    store_id: optionalText(200),
    email: optionalText(320),
    active: z.boolean().default(true),
  }),
  kpi_data: row({
    metric: text(200).min(1, 'is required'),
    value: z.number(),
    store_id: optionalText(200),
    period: optionalText(50),
    target: z.number().nullable().default(null),
  }),
  settings: row({
    key: text(200).min(1, 'is required'),
    value: optionalJson,
  }),
  // Rows of other tables name their store by this code in `store_id` (not by id), as they always
  // have: the code is what people say ("S001"), and rows written before stores were records keep it.
  stores: row({
    code: storeCode,
    name: text(500).min(1, 'is required'),
    region: optionalText(200),
    active: z.boolean().default(true),
  }),
};

export type TableName = keyof typeof rowSchemas;
/** A row as the wire carries it, after validation (defaults filled in). */
export type RowOf<T extends TableName> = z.output<(typeof rowSchemas)[T]>;
export type AnyRow = RowOf<TableName>;

export interface TableSpec {
  /** Who wins when the server and a client both changed the row (seed: Resolution Rules). */
  rule: ConflictRule;
  writers: readonly Role[];
  readers: readonly Role[];
  /** Tables whose rows this table's rows point at, with the column that points: applied first. */
  parents: Partial<Record<TableName, string>>;
  /** Parents whose delete takes this row along (a submission's answers, a form's sections and fields). */
  deletedWith?: readonly TableName[];
  /** Columns no two live rows may share (a store's code): a push repeating one is refused for that row. */
  unique?: readonly string[];
}

const everyone = roles;
const managerOnly = ['manager'] as const;

// Listed parents first: this order is the apply order of a push and of a pulled page.
export const tableRegistry = {
  forms: { rule: 'manager_wins', writers: managerOnly, readers: everyone, parents: {} },
  form_sections: {
    rule: 'manager_wins',
    writers: managerOnly,
    readers: everyone,
    parents: { forms: 'form_id' },
    deletedWith: ['forms'],
  },
  fields: {
    rule: 'manager_wins',
    writers: managerOnly,
    readers: everyone,
    parents: { forms: 'form_id', form_sections: 'section_id' },
    deletedWith: ['forms', 'form_sections'],
  },
  form_templates: { rule: 'manager_wins', writers: managerOnly, readers: managerOnly, parents: {} },
  submissions: { rule: 'latest_wins', writers: everyone, readers: everyone, parents: { forms: 'form_id' } },
  submission_answers: {
    rule: 'latest_wins',
    writers: everyone,
    readers: everyone,
    parents: { submissions: 'submission_id', fields: 'field_id' },
    deletedWith: ['submissions'],
  },
  team: { rule: 'server_wins', writers: managerOnly, readers: everyone, parents: {} },
  kpi_data: { rule: 'latest_wins', writers: everyone, readers: everyone, parents: {} },
  settings: { rule: 'manager_wins', writers: managerOnly, readers: managerOnly, parents: {} },
  // Every role reads the stores (a store device's pickers and its own store's name); store
  // devices are scoped to their own row by the server's pull scopes.
  stores: { rule: 'manager_wins', writers: managerOnly, readers: everyone, parents: {}, unique: ['code'] },
} as const satisfies Record<TableName, TableSpec>;

export const tableNames = Object.keys(tableRegistry) as TableName[];
export const TableNameSchema = z.enum(tableNames as [TableName, ...TableName[]], {
  error: (issue) => `unknown table ${JSON.stringify(issue.input)}; known tables: ${tableNames.join(', ')}`,
});

export const isTableName = (name: string): name is TableName => (tableNames as string[]).includes(name);

/** Tables a role pulls (seed: Selective Sync). */
export const tablesReadableBy = (role: Role): TableName[] =>
  tableNames.filter((table) => (tableRegistry[table].readers as readonly Role[]).includes(role));

export const tablesWritableBy = (role: Role): TableName[] =>
  tableNames.filter((table) => (tableRegistry[table].writers as readonly Role[]).includes(role));

/** The given tables in apply order: parents before children. */
export const inApplyOrder = <T extends TableName>(tables: Iterable<T>): T[] => {
  const wanted = new Set<TableName>(tables);
  return tableNames.filter((table) => wanted.has(table)) as T[];
};

/**
 * The tables whose rows are deleted along with a `parent` row, each with the column that points at
 * it (e.g. answers → submission_id). A form's submissions point at it but outlive it (history).
 */
export const deletedWithParent = (parent: TableName): Array<{ table: TableName; column: string }> =>
  tableNames.flatMap((table) => {
    const spec: TableSpec = tableRegistry[table];
    const column = spec.parents[parent];
    return column && spec.deletedWith?.includes(parent) ? [{ table, column }] : [];
  });

/** Columns of a table, in declaration order. */
export const columnsOf = (table: TableName): string[] => Object.keys(rowSchemas[table].shape);

const wireColumnNames = new Map<TableName, readonly string[]>();

/**
 * A table's columns, listed once: asked for every row a push sends and every row its answer brings
 * back (on both sides), where columnsOf would build the list again each time.
 */
export function wireColumnsOf(table: TableName): readonly string[] {
  let columns = wireColumnNames.get(table);
  if (!columns) wireColumnNames.set(table, (columns = Object.freeze(columnsOf(table))));
  return columns;
}
