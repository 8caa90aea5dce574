// Words for a recorded conflict: which rule decided it and what came of it, from the manager's
// point of view ("this Mac" vs "the server").
import type { ConflictView } from '../../../shared/ipc.js';
import { serverColumnNames } from '../../../shared/protocol/sync.js';
import type { ConflictRule } from '../../../shared/tables.js';
import { hrefFor } from '../../app/routes.js';

export const ruleLabel: Record<ConflictRule, string> = {
  manager_wins: 'Manager wins (forms, templates and settings follow the manager’s edit)',
  latest_wins: 'Latest edit wins (the later change time is kept)',
  server_wins: 'Server wins (the server’s version is kept)',
};

export const outcomeLabel = (conflict: ConflictView): string =>
  conflict.fields
    ? `Both edits merged; for the fields changed on both sides ${conflict.resolution === 'client_wins' ? 'this Mac’s' : 'the server’s'} values were kept`
    : conflict.resolution === 'client_wins'
      ? 'This Mac’s version was kept'
      : 'The server’s version was kept';

export const statusLabel: Record<ConflictView['status'], string> = {
  open: 'Open',
  accepted: 'Accepted',
  overridden: 'Other version applied',
};

export const tableLabel = (table: string): string => {
  const words = table.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The server's own bookkeeping and the push's change id: meaningless to compare, so left out. */
const serverBookkeeping = new Set([...serverColumnNames, 'change_id']);
/** Ids say nothing to a manager: they go under "Details", not in the comparison. */
const idColumns = new Set(['id', 'form_id', 'section_id', 'field_id', 'submission_id', 'template_id']);
const rowTimes = ['updated_at', 'deleted_at'];

/** Every field either version has, the record's own columns first, its times last; no ids. */
export const fieldsOf = (conflict: ConflictView): string[] => {
  const names = new Set([...Object.keys(conflict.client_data), ...Object.keys(conflict.server_data)]);
  const own = [...names].filter(
    (name) => !rowTimes.includes(name) && !serverBookkeeping.has(name) && !idColumns.has(name),
  );
  return [...own, ...rowTimes.filter((name) => names.has(name))];
};

/** The ids either version carries (shown under "Details"). */
export const idsOf = (conflict: ConflictView): Array<[string, string]> => {
  const data = { ...conflict.client_data, ...conflict.server_data };
  return Object.entries(data)
    .filter(([name, value]) => idColumns.has(name) && typeof value === 'string')
    .map(([name, value]) => [fieldLabel(name), value as string]);
};

const labels: Record<string, string> = {
  store_id: 'Store',
  submitted_by: 'Submitted by',
  completed_at: 'Completed',
  updated_at: 'Last changed',
  deleted_at: 'Deleted',
  form_id: 'Form',
  section_id: 'Section',
  field_id: 'Field',
  submission_id: 'Submission',
  id: 'Record',
};

/** A column as the screens name it ("submitted_by" → "Submitted by"). */
export const fieldLabel = (column: string): string => {
  const known = labels[column];
  if (known) return known;
  const words = column.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const statusWords: Record<string, string> = {
  in_progress: 'In progress',
  completed: 'Completed',
  draft: 'Draft',
  published: 'Published',
  archived: 'Archived',
};

/** A value as the screens show it: statuses in words, times in local time, yes/no, "—" for none. */
export const showFieldValue = (column: string, value: unknown): string => {
  if (value === undefined) return '—';
  if (column === 'deleted_at')
    return typeof value === 'string' ? `Deleted ${new Date(value).toLocaleString()}` : 'Not deleted';
  if (value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (column === 'status' && typeof value === 'string') return statusWords[value] ?? value;
  if (column.endsWith('_at') && typeof value === 'string' && !Number.isNaN(Date.parse(value)))
    return new Date(value).toLocaleString();
  return typeof value === 'string' ? value : JSON.stringify(value);
};

const text = (data: Record<string, unknown>, key: string): string | null =>
  typeof data[key] === 'string' && data[key] !== '' ? data[key] : null;

/**
 * The record in the manager's words: "Opening checklist at store-001" (a submission: its form's
 * title and store), "Sales at store-001" (a KPI value), "Team member Ana", "Form “Weekly audit”".
 */
export const conflictTitle = (conflict: ConflictView, formTitles: ReadonlyMap<string, string>): string => {
  const data = { ...conflict.client_data, ...conflict.server_data };
  const at = (what: string) => (text(data, 'store_id') ? `${what} at ${text(data, 'store_id')}` : what);
  switch (conflict.table) {
    case 'submissions':
      return at(formTitles.get(text(data, 'form_id') ?? '') ?? 'Submission');
    case 'submission_answers':
      return 'An answer in a submission';
    case 'kpi_data':
      return at(text(data, 'metric') ?? 'KPI value') + (text(data, 'period') ? `, ${text(data, 'period')}` : '');
    case 'team':
      return `Team member ${text(data, 'name') ?? ''}`.trim();
    case 'forms':
      return `Form “${text(data, 'title') ?? 'untitled'}”`;
    case 'form_sections':
      return `Section “${text(data, 'title') ?? 'untitled'}”`;
    case 'fields':
      return `Field “${text(data, 'label') ?? 'unlabelled'}”`;
    case 'form_templates':
      return `Template “${text(data, 'name') ?? 'unnamed'}”`;
    case 'settings':
      return `Setting ${text(data, 'key') ?? ''}`.trim();
    case 'stores':
      return `Store ${text(data, 'code') ?? ''} ${text(data, 'name') ?? ''}`.trim();
  }
};

const wasDeleted = (data: Record<string, unknown>) => typeof data.deleted_at === 'string';

/**
 * What happened, in one sentence: "You deleted this; store-001 edited it later; the later change
 * was kept." Under latest-wins the kept side is by definition the later one (the server corrects
 * for wrong device clocks), so "later" follows the outcome, not the raw timestamps.
 */
export const conflictSentence = (conflict: ConflictView): string => {
  if (conflict.fields) return fieldConflictSentence(conflict, conflict.fields);
  const you = wasDeleted(conflict.client_data) ? 'You deleted this' : 'You edited this';
  const who = serverWriter(conflict) ?? 'Another device';
  const times = editTimes(conflict);
  const serverLater =
    conflict.rule === 'latest_wins'
      ? conflict.resolution === 'server_wins'
      : Date.parse(times.server ?? '') > Date.parse(times.client ?? '');
  const them = `${who} ${wasDeleted(conflict.server_data) ? 'deleted' : 'edited'} it ${serverLater ? 'later' : 'earlier'}`;
  const kept =
    conflict.rule === 'latest_wins'
      ? 'the later change was kept'
      : conflict.rule === 'manager_wins'
        ? conflict.resolution === 'client_wins'
          ? 'your change was kept (the manager’s edit wins)'
          : 'the other manager’s change was kept'
        : 'the server’s version was kept';
  return `${you}; ${them}; ${kept}.`;
};

/**
 * A field-level conflict: "You and store-001 both changed Value; the later change was kept for it.
 * Everything else both of you changed was kept."
 */
const fieldConflictSentence = (conflict: ConflictView, fields: NonNullable<ConflictView['fields']>): string => {
  const who = serverWriter(conflict) ?? 'another device';
  const names = fields.map((f) => fieldLabel(f.field));
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
  const kept =
    conflict.rule === 'latest_wins'
      ? 'the later change was kept'
      : conflict.resolution === 'client_wins'
        ? 'your change was kept'
        : 'the server’s value was kept';
  return `You and ${who} both changed ${list}; ${kept} for ${names.length > 1 ? 'them' : 'it'}. Everything else both of you changed was kept.`;
};

/** Where the record can be seen, if it has a screen of its own. */
export const recordHref = (conflict: ConflictView): string | null => {
  switch (conflict.table) {
    case 'submissions':
      return wasDeleted(conflict.resolution === 'client_wins' ? conflict.client_data : conflict.server_data)
        ? null
        : hrefFor.submission(conflict.record_id);
    case 'forms':
      return hrefFor.form(conflict.record_id);
    case 'kpi_data':
      return hrefFor.kpis;
    case 'team':
      return hrefFor.team;
    case 'stores':
      return hrefFor.stores;
    default:
      return null;
  }
};

/** Which device wrote the server's version, when the server said so. */
export const serverWriter = (conflict: ConflictView): string | null =>
  typeof conflict.server_data.written_by === 'string' ? conflict.server_data.written_by : null;

const rowTime = (data: Record<string, unknown>): string | null =>
  typeof data.updated_at === 'string' && !Number.isNaN(Date.parse(data.updated_at)) ? data.updated_at : null;

/**
 * When each side's edit was made. The server's corrected times (each device's clock offset taken
 * out) when it reported both: a device clock a day off would otherwise show an edit made this
 * morning as yesterday's. Otherwise the rows' own updated_at, as each device's clock said.
 */
export const editTimes = (
  conflict: ConflictView,
): { client: string | null; server: string | null; corrected: boolean } =>
  conflict.client_edited_at !== null && conflict.server_edited_at !== null
    ? { client: conflict.client_edited_at, server: conflict.server_edited_at, corrected: true }
    : { client: rowTime(conflict.client_data), server: rowTime(conflict.server_data), corrected: false };

/** A time as a person reads it on this Mac: "29 Nov 2026, 10:02". */
export const showEditTime = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * "You edited it at 29 Nov 2026, 10:02; store-001 edited it at 29 Nov 2026, 09:15 (on the
 * server's clock)." Null when neither side carries a time.
 */
export const editTimesSentence = (conflict: ConflictView): string | null => {
  const times = editTimes(conflict);
  if (!times.client && !times.server) return null;
  const side = (subject: string, data: Record<string, unknown>, at: string | null) =>
    `${subject} ${wasDeleted(data) ? 'deleted' : 'edited'} it${at ? ` at ${showEditTime(at)}` : ''}`;
  const you = side('You', conflict.client_data, times.client);
  const them = side(serverWriter(conflict) ?? 'Another device', conflict.server_data, times.server);
  return `${you}; ${them} (${times.corrected ? 'on the server’s clock' : 'as each device’s clock said'}).`;
};
