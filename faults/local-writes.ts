// The edits a fault sequence makes on a device, through the same outbox path as the app's
// repositories (row and queued change in one transaction): create, edit, delete (tombstone) and
// restore on any table, with the device's clock. Each write records its change_id, so the checks
// can find every accepted change in the server's audit log.
import { randomUUID } from 'node:crypto';
import { writeLocal } from '../main/db/outbox.js';
import { localRows } from '../main/sync/testing/devices.js';
import type { TableName } from '../shared/tables.js';
import type { FaultDevice } from './world.js';

export type WriteKind = 'create' | 'edit' | 'delete' | 'restore';

/** The column an edit changes, per table: one a person would edit. */
const editedColumn: Record<TableName, string> = {
  forms: 'title',
  form_sections: 'title',
  fields: 'label',
  form_templates: 'name',
  submissions: 'submitted_by',
  submission_answers: 'value',
  team: 'name',
  kpi_data: 'value',
  settings: 'value',
  stores: 'name',
};

const numeric = new Set(['kpi_data', 'submission_answers', 'settings']);

/**
 * A second column a person edits, per table that has one, for concurrent edits of different fields
 * of one record (field-level merge): a KPI's target next to its value, a form's description next
 * to its title, a member's email (server wins) next to the name, a template's JSON definition.
 */
export const otherColumn: Partial<Record<TableName, string>> = {
  forms: 'description',
  kpi_data: 'target',
  team: 'email',
  form_templates: 'definition',
};
export const firstColumn = (table: TableName): string => editedColumn[table];

/** The value `device` writes into `column` for edit number `n`. */
export const fieldValue = (device: FaultDevice, table: TableName, column: string, n: number): unknown =>
  column === editedColumn[table]
    ? edited(device, table, n)
    : column === 'target'
      ? n
      : column === 'definition'
        ? { steps: [n], by: device.id }
        : `${column} ${n} by ${device.id}`;

/** Sets one column of one known record (by id) with the device's clock; returns its change_id. */
export function editField(device: FaultDevice, table: TableName, id: string, column: string, n: number): string | null {
  const current = localRows(device.store, table).get(id);
  if (!current) return null;
  return queue(device, table, { ...current, [column]: fieldValue(device, table, column, n) }, 'UPDATE');
}

const pick = <T>(list: T[], index: number): T | undefined => (list.length ? list[index % list.length] : undefined);

function rowsOf(device: FaultDevice, table: TableName) {
  return [...localRows(device.store, table).values()];
}

/** A new row of the table, pointing at parents the device holds; undefined when it holds none. */
function newRow(device: FaultDevice, table: TableName, n: number): Record<string, unknown> | undefined {
  const id = randomUUID();
  const parent = (t: TableName) => pick(rowsOf(device, t), n) as { id: string; form_id?: string } | undefined;
  switch (table) {
    case 'forms':
      return { id, title: `Form ${n}`, status: 'published' };
    case 'form_sections': {
      const form = parent('forms');
      return form && { id, form_id: form.id, title: `Section ${n}`, position: n % 5 };
    }
    case 'fields': {
      const form = parent('forms');
      return form && { id, form_id: form.id, label: `Field ${n}`, type: 'number', position: n % 5 };
    }
    case 'form_templates':
      return { id, name: `Template ${n}`, definition: { n } };
    case 'submissions': {
      const form = parent('forms');
      return (
        form && { id, form_id: form.id, status: 'in_progress', store_id: device.id, submitted_by: `${device.id} ${n}` }
      );
    }
    case 'submission_answers': {
      const submission = parent('submissions');
      const fields = rowsOf(device, 'fields') as { id: string; form_id: string }[];
      const field =
        pick(
          fields.filter((f) => f.form_id === submission?.form_id),
          n,
        ) ?? pick(fields, n);
      return submission && field && { id, submission_id: submission.id, field_id: field.id, value: n };
    }
    case 'team':
      return { id, name: `Person ${n}` };
    case 'kpi_data':
      return { id, metric: 'footfall', value: n, store_id: device.id };
    case 'settings':
      return { id, key: `setting_${n % 3}`, value: n };
    case 'stores':
      // A code no other create repeats: the server refuses a second live store with the same code.
      return { id, code: `S-${id.slice(0, 8)}`, name: `Store ${n}` };
  }
}

/** Edits one known record (by id) with the device's clock; returns its change_id. */
export function editRecord(device: FaultDevice, table: TableName, id: string, n: number): string | null {
  const current = localRows(device.store, table).get(id);
  if (!current) return null;
  return queue(device, table, { ...current, [editedColumn[table]]: edited(device, table, n) }, 'UPDATE');
}

const edited = (device: FaultDevice, table: TableName, n: number) =>
  numeric.has(table) ? n : `${editedColumn[table]} ${n} by ${device.id}`;

function queue(
  device: FaultDevice,
  table: TableName,
  row: Record<string, unknown>,
  operation: 'INSERT' | 'UPDATE' | 'DELETE',
): string {
  const updatedAt = new Date(Date.now() + device.clockOffsetMs).toISOString();
  writeLocal(device.store, table, { ...row, updated_at: updatedAt } as never, operation);
  const { change_id } = device.store.sqlite
    .prepare('SELECT change_id FROM pending_changes ORDER BY id DESC LIMIT 1')
    .get() as { change_id: string };
  device.queued.push(change_id);
  return change_id;
}

/**
 * Makes one write; returns its change_id, or null when there was nothing to write (no row to edit,
 * no parent to point at, a delete of a row already deleted).
 */
export function localWrite(
  device: FaultDevice,
  table: TableName,
  kind: WriteKind,
  index: number,
  n: number,
): string | null {
  const updatedAt = new Date(Date.now() + device.clockOffsetMs).toISOString();
  let row: Record<string, unknown> | undefined;
  const current = pick(rowsOf(device, table), index);
  // Nothing to edit yet: the step creates a row instead, so short sequences still write.
  if (kind === 'create' || !current) {
    row = newRow(device, table, n);
  } else {
    if (kind === 'edit') row = { ...current, [editedColumn[table]]: edited(device, table, n) };
    if (kind === 'delete') row = current.deleted_at ? undefined : { ...current, deleted_at: updatedAt };
    if (kind === 'restore') row = current.deleted_at ? { ...current, deleted_at: null } : undefined;
  }
  if (!row) return null;
  return queue(device, table, row, kind === 'create' ? 'INSERT' : kind === 'delete' ? 'DELETE' : 'UPDATE');
}
