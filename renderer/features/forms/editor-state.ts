// The form editor's working copy and its conversions: from a saved FormDetail, and to the
// FormDraft that `forms:save` takes. Sections and fields get local keys, because new ones have
// no id until main saves them; positions are simply their order on screen.
import type { FormDetail, FormDraft } from '../../../shared/ipc.js';
import { FormDraft as FormDraftSchema } from '../../../shared/ipc.js';
import type { fieldTypes, formStatuses } from '../../../shared/tables.js';

export type FieldType = (typeof fieldTypes)[number];
export type FormStatus = (typeof formStatuses)[number];

export const fieldTypeLabels: Record<FieldType, string> = {
  text: 'Text',
  number: 'Number',
  boolean: 'Yes / No',
  choice: 'Choice',
  date: 'Date',
};

export interface SectionState {
  key: string;
  id?: string;
  title: string;
}

export interface FieldState {
  key: string;
  id?: string;
  /** The section's key, or null for a field saved without a section. */
  sectionKey: string | null;
  label: string;
  type: FieldType;
  required: boolean;
  /** Choice options, one per line as typed. */
  choices: string;
}

export interface EditorState {
  id?: string;
  title: string;
  description: string;
  status: FormStatus;
  sections: SectionState[];
  fields: FieldState[];
}

let lastKey = 0;
export const newKey = (prefix: string) => `${prefix}-${++lastKey}`;

export const emptyEditor = (): EditorState => ({
  title: '',
  description: '',
  status: 'draft',
  sections: [],
  fields: [],
});

/** Choice options as stored: a JSON array of strings (older rows may hold {label} objects). */
const choicesFrom = (options: unknown): string => {
  const list = Array.isArray(options)
    ? options
    : options && typeof options === 'object' && Array.isArray((options as { choices?: unknown }).choices)
      ? (options as { choices: unknown[] }).choices
      : [];
  return list.map(optionText).join('\n');
};

/** An option as the editor shows it: its label (the forms schema), or the bare value of an older row. */
const optionText = (item: unknown): string => {
  const value = item && typeof item === 'object' ? ((item as { label?: unknown }).label ?? '') : item;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
};

const choiceList = (choices: string): string[] =>
  choices
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

export const editorFromDetail = ({ form, sections, fields }: FormDetail): EditorState => {
  const live = <T extends { deleted_at: string | null; position: number }>(rows: T[]) =>
    rows.filter((row) => !row.deleted_at).sort((a, b) => a.position - b.position);
  const sectionStates = live(sections).map((s) => ({ key: s.id, id: s.id, title: s.title ?? '' }));
  const known = new Set(sectionStates.map((s) => s.key));
  const fieldStates = live(fields).map((f): FieldState => ({
    key: f.id,
    id: f.id,
    sectionKey: f.section_id && known.has(f.section_id) ? f.section_id : null,
    label: f.label,
    type: f.type,
    required: f.required,
    choices: choicesFrom(f.options),
  }));
  return {
    id: form.id,
    title: form.title,
    description: form.description ?? '',
    status: form.status,
    sections: sectionStates,
    fields: fieldStates,
  };
};

/** A section's name on screen: its title, or its number while it has none. */
export const sectionName = (title: string, index: number) => title.trim() || `Section ${index + 1}`;

/** The fields of one section (null: those without a section), in screen order. */
export const fieldsIn = (state: EditorState, sectionKey: string | null) =>
  state.fields.filter((f) => f.sectionKey === sectionKey);

/** Section by section, then the fields without a section: the order of the draft's `fields`. */
const groupKeys = (state: EditorState): (string | null)[] => [...state.sections.map((s) => s.key), null];

export const toDraft = (state: EditorState, status: FormStatus = state.status): FormDraft => ({
  form: {
    ...(state.id ? { id: state.id } : {}),
    title: state.title,
    description: state.description.trim() ? state.description : null,
    status,
  },
  sections: state.sections.map((s, position) => ({
    ...(s.id ? { id: s.id } : {}),
    title: s.title.trim() ? s.title : null,
    position,
  })),
  fields: groupKeys(state).flatMap((sectionKey, sectionIndex) =>
    fieldsIn(state, sectionKey).map((f, position) => ({
      ...(f.id ? { id: f.id } : {}),
      section_index: sectionKey === null ? null : sectionIndex,
      label: f.label,
      type: f.type,
      required: f.required,
      options: f.type === 'choice' ? choiceList(f.choices) : null,
      position,
    })),
  ),
});

/** Problems keyed by where they show: 'title', 'description', a section's key or a field's key. */
export type EditorProblems = Map<string, string>;

export const checkDraft = (state: EditorState, draft: FormDraft): EditorProblems => {
  const problems: EditorProblems = new Map();
  const parsed = FormDraftSchema.safeParse(draft);
  // The draft's fields in its order, so an issue at fields[i] finds the field to mark.
  const ordered = groupKeys(state).flatMap((key) => fieldsIn(state, key));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [part, index, column] = issue.path;
      if (part === 'form' && (index === 'title' || index === 'description')) problems.set(index, issue.message);
      else if (part === 'sections' && typeof index === 'number' && state.sections[index]) {
        problems.set(state.sections[index].key, issue.message);
      } else if (part === 'fields' && typeof index === 'number' && column === 'label') {
        const field = ordered[index];
        if (field) problems.set(field.key, issue.message);
      } else problems.set('form', issue.message);
    }
  }
  for (const field of ordered) {
    if (field.type === 'choice' && choiceList(field.choices).length === 0 && !problems.has(field.key)) {
      problems.set(field.key, 'A choice field needs at least one option');
    }
  }
  return problems;
};
