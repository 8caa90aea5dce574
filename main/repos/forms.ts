// Forms with their sections and fields, as the form editor and the devices see them. A save takes
// the editor's whole draft and writes, in one local transaction, only the rows that changed:
// new ones as INSERT, edited ones as UPDATE, and sections/fields the user removed as tombstones
// (DELETE), each with its pending change (invariant 3). Ids and timestamps are made here.
import { newId } from '../../shared/ids.js';
import type { z } from 'zod';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { FormDraft, type IpcReply } from '../../shared/ipc.js';
import type { RowOf } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { localTransaction, nowIso, writeIfChanged, writeTombstone, type LocalWrite } from '../db/outbox.js';
import { fromSqliteRow, wireRowFromSqlite } from '../db/rows.js';
import { forms } from '../db/schema.js';
import { InvalidEditError, parseInput } from './errors.js';
import { liveRowsWhere, requireLive } from './live-rows.js';

export type FormSummary = IpcReply<'forms:list'>[number];
export type FormDetail = IpcReply<'forms:get'>;
export type FormRow = RowOf<'forms'>;
export type FormStatus = FormRow['status'];

/** Every live form, most recently changed first, with how many live sections and fields it has. */
export function listForms(store: LocalStore): FormSummary[] {
  const raws = store.sqlite
    .prepare(
      `SELECT f.*,
         (SELECT count(*) FROM form_sections s WHERE s.form_id = f.id AND s.deleted_at IS NULL) AS section_count,
         (SELECT count(*) FROM fields d WHERE d.form_id = f.id AND d.deleted_at IS NULL) AS field_count
       FROM forms f WHERE f.deleted_at IS NULL ORDER BY f.updated_at DESC, f.id`,
    )
    .all() as Array<Record<string, unknown> & { section_count: number; field_count: number }>;
  return raws.map((raw) => ({
    ...fromSqliteRow('forms', raw),
    section_count: raw.section_count,
    field_count: raw.field_count,
  }));
}

/** A live form with its live sections (by position) and fields (in form order: by section, then position). */
export function getForm(store: LocalStore, id: string): FormDetail {
  const form = requireLive(store, 'forms', id, 'Form');
  const sections = liveRowsWhere(store, 'form_sections', 'form_id', id);
  // Fields in the order the form shows them: unsectioned first, then section by section.
  const sectionRank = new Map(sections.map((section, rank) => [section.id, rank]));
  const rank = (field: RowOf<'fields'>) => (field.section_id === null ? -1 : (sectionRank.get(field.section_id) ?? -1));
  const fields = liveRowsWhere(store, 'fields', 'form_id', id).sort(
    (a, b) => rank(a) - rank(b) || a.position - b.position || a.id.localeCompare(b.id),
  );
  return { form, sections, fields };
}

/**
 * Saves an editor draft: the form, its sections and its fields, in one transaction. Rows that did
 * not change are not written (no needless pending change); sections and fields the draft no
 * longer has are tombstoned. A draft naming a form, section or field that is not this form's
 * live one is refused whole.
 */
export function saveForm(store: LocalStore, input: FormDraft): FormDetail {
  const draft = parseInput(FormDraft, input);
  return localTransaction(store, (local) => {
    const formId = writeFormDraft(store, local, draft);
    return getForm(store, formId);
  });
}

/** The body of saveForm, for callers already inside a local transaction (create from template). */
export function writeFormDraft(store: LocalStore, local: LocalWrite, draft: z.output<typeof FormDraft>): string {
  const at = nowIso();
  const current = draft.form.id ? getForm(store, draft.form.id) : undefined;
  const formId = current?.form.id ?? newId();
  writeIfChanged(local, 'forms', current?.form, {
    ...current?.form,
    id: formId,
    title: draft.form.title,
    description: draft.form.description,
    status: draft.form.status,
    updated_at: at,
    deleted_at: null,
  });

  const currentSections = new Map(current?.sections.map((section) => [section.id, section]));
  const keptSections = new Set<string>();
  const sectionIds = draft.sections.map((section, index) => {
    const { id, existing } = claimDraftId(`sections.${index}`, 'section', section.id, currentSections, keptSections);
    writeIfChanged(local, 'form_sections', existing, {
      id,
      form_id: formId,
      title: section.title,
      position: section.position,
      updated_at: at,
      deleted_at: null,
    });
    return id;
  });

  const currentFields = new Map(current?.fields.map((field) => [field.id, field]));
  const keptFields = new Set<string>();
  draft.fields.forEach((field, index) => {
    const { id, existing } = claimDraftId(`fields.${index}`, 'field', field.id, currentFields, keptFields);
    let sectionId: string | null = null;
    if (field.section_index !== null) {
      sectionId = sectionIds[field.section_index] ?? null;
      if (!sectionId)
        throw new InvalidEditError(
          `fields.${index}: section_index ${field.section_index} names no section of the draft`,
        );
    }
    writeIfChanged(local, 'fields', existing, {
      id,
      form_id: formId,
      section_id: sectionId,
      label: field.label,
      type: field.type,
      required: field.required,
      options: field.options,
      position: field.position,
      updated_at: at,
      deleted_at: null,
    });
  });

  // Removed in the editor: tombstones, so other devices learn of the removal on their next pull.
  for (const field of currentFields.values()) if (!keptFields.has(field.id)) writeTombstone(local, 'fields', field, at);
  for (const section of currentSections.values()) {
    if (!keptSections.has(section.id)) writeTombstone(local, 'form_sections', section, at);
  }
  return formId;
}

/**
 * The id a draft's section or field is saved under: its own when it names one of the form's live
 * rows, a new one when it names none. Naming another form's row, or one row twice, is refused.
 */
function claimDraftId<R extends { id: string }>(
  path: string,
  what: string,
  draftId: string | null | undefined,
  current: Map<string, R>,
  kept: Set<string>,
): { id: string; existing: R | undefined } {
  const existing = draftId ? current.get(draftId) : undefined;
  if (draftId && !existing) throw new InvalidEditError(`${path}: ${what} ${draftId} is not part of this form`);
  const id = existing?.id ?? newId();
  if (kept.has(id)) throw new InvalidEditError(`${path}: ${what} ${id} appears twice in the draft`);
  kept.add(id);
  return { id, existing };
}

/** Publishes, archives or returns a form to draft. Setting the status it already has writes nothing. */
export function setFormStatus(store: LocalStore, id: string, status: FormStatus): FormRow {
  return localTransaction(store, (local) => {
    const form = requireLive(store, 'forms', id, 'Form');
    return writeIfChanged(local, 'forms', form, { ...form, status, updated_at: nowIso() });
  });
}

/** Deletes a form with its sections and fields (tombstones). Its submissions stay, as history. */
export function deleteForm(store: LocalStore, id: string): void {
  localTransaction(store, (local) => {
    const { form, sections, fields: formFields } = getForm(store, id);
    const at = nowIso();
    for (const field of formFields) writeTombstone(local, 'fields', field, at);
    for (const section of sections) writeTombstone(local, 'form_sections', section, at);
    writeTombstone(local, 'forms', form, at);
  });
}

/** Live forms with this status (the device CLI picks a published form to fill). */
export function listFormsByStatus(store: LocalStore, status: FormStatus): FormRow[] {
  return store.db
    .select()
    .from(forms)
    .where(and(eq(forms.status, status), isNull(forms.deleted_at)))
    .orderBy(desc(forms.updated_at), asc(forms.id))
    .all()
    .map((form) => wireRowFromSqlite('forms', form));
}
