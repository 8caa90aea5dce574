// Fills in a published form the way a store employee would (seed, Example 2): start a submission,
// answer every field, complete it. Answers come from --answers (by field label or id) or get a
// plausible value for the field's type.
import type { RowOf } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { answerField, completeSubmission, getForm, listFormsByStatus, startSubmission } from '../repos/index.js';

export class UsageError extends Error {}

/** A published, live form by id or (case-insensitive) title. */
export function findPublishedForm(store: LocalStore, idOrTitle: string): RowOf<'forms'> | null {
  const published = listFormsByStatus(store, 'published');
  const wanted = idOrTitle.trim().toLowerCase();
  const matches = published.filter((form) => form.id === idOrTitle || form.title.trim().toLowerCase() === wanted);
  if (matches.length > 1) {
    throw new UsageError(
      `${matches.length} published forms are titled "${idOrTitle}"; use the form id: ${matches.map((f) => f.id).join(', ')}`,
    );
  }
  return matches[0] ?? null;
}

function defaultAnswer(field: RowOf<'fields'>, today: string): unknown {
  switch (field.type) {
    case 'text':
      return `${field.label}: ok`;
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'date':
      return today;
    case 'choice': {
      const first = Array.isArray(field.options) ? field.options[0] : undefined;
      return first && typeof first === 'object' && 'value' in first
        ? (first as { value: unknown }).value
        : (first ?? null);
    }
  }
}

export function parseAnswers(json: string | undefined): Record<string, unknown> {
  if (!json) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new UsageError(`--answers is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError('--answers must be a JSON object of field label (or id) to value, e.g. {"Notes":"all good"}');
  }
  return parsed as Record<string, unknown>;
}

export interface FilledSubmission {
  submission: RowOf<'submissions'>;
  answers: { label: string; value: unknown }[];
}

/** Starts, answers and completes one submission, each step a local write queued for the push. */
export function fillAndComplete(
  store: LocalStore,
  form: RowOf<'forms'>,
  options: { storeId: string | null; submittedBy: string | null; answers: Record<string, unknown> },
): FilledSubmission {
  const detail = getForm(store, form.id);
  const known = new Set(detail.fields.flatMap((field) => [field.id, field.label]));
  const unknown = Object.keys(options.answers).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new UsageError(
      `Form "${form.title}" has no field ${unknown.map((k) => `"${k}"`).join(', ')}; its fields: ${detail.fields.map((f) => f.label).join(', ')}`,
    );
  }
  const today = new Date().toISOString().slice(0, 10);
  const submission = startSubmission(store, {
    form_id: form.id,
    store_id: options.storeId,
    submitted_by: options.submittedBy,
  });
  const answers: FilledSubmission['answers'] = [];
  for (const field of detail.fields) {
    const given = field.id in options.answers ? options.answers[field.id] : options.answers[field.label];
    const value = given !== undefined ? given : defaultAnswer(field, today);
    answerField(store, { submission_id: submission.id, field_id: field.id, value: value as never });
    answers.push({ label: field.label, value });
  }
  const completed = completeSubmission(store, submission.id);
  return { submission: completed, answers };
}
