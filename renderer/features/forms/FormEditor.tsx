// The form editor (issue 4): title and description, sections in order, fields of every type in
// each section, then Save or Publish in one `forms:save` call. The draft is checked with the
// same zod schema main uses, so the manager sees "A form needs a title" before anything is sent.
import { Eye } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useUnsavedGuard } from './use-unsaved-guard.js';
import type { FormDetail } from '../../../shared/ipc.js';
import { useSaveForm } from '../../api/mutations.js';
import { FieldEditor } from './FieldEditor.js';
import { FormOutline } from './FormOutline.js';
import { FormPreview } from './FormPreview.js';
import {
  checkDraft,
  editorFromDetail,
  fieldsIn,
  newKey,
  toDraft,
  type EditorProblems,
  type EditorState,
  type FieldState,
  type FormStatus,
  type SectionState,
} from './editor-state.js';

interface Props {
  initial: EditorState;
  /** The status the form has in the store now; it can change outside the editor (Archive). */
  savedStatus?: FormStatus;
  onSaved?: (detail: FormDetail) => void;
}

/** Swaps an item with its neighbour among the items that `sameGroup` accepts. */
const moveWithin = <T,>(items: T[], item: T, step: -1 | 1, sameGroup: (other: T) => boolean = () => true): T[] => {
  const group = items.filter(sameGroup);
  const neighbour = group[group.indexOf(item) + step];
  if (!neighbour) return items;
  const next = [...items];
  next[items.indexOf(item)] = neighbour;
  next[items.indexOf(neighbour)] = item;
  return next;
};

export const FormEditor = ({ initial, savedStatus, onSaved }: Props) => {
  const [state, setState] = useState(initial);
  // What was last loaded or saved: the editor is dirty while its state differs from it.
  const [saved, setSaved] = useState(initial);
  const dirty = JSON.stringify(state) !== JSON.stringify(saved);
  const leaveDialog = useUnsavedGuard(dirty);
  // After a refused Save the problems are shown, and follow the edits from then on: a fixed field
  // loses its message at once, before any new Save.
  const [checking, setChecking] = useState(false);
  const problems = useMemo<EditorProblems>(
    () => (checking ? checkDraft(state, toDraft(state)) : new Map<string, string>()),
    [checking, state],
  );
  const save = useSaveForm();
  const [previewing, setPreviewing] = useState(false);
  // After a refused Save the first problem is brought into view and focused, with its message
  // beside it (a 500-character title's error used to sit off-screen).
  const formRef = useRef<HTMLFormElement>(null);
  const [problemJumps, setProblemJumps] = useState(0);
  useEffect(() => {
    if (problemJumps === 0) return;
    const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    first?.scrollIntoView?.({ block: 'center' });
    first?.focus({ preventScroll: true });
  }, [problemJumps]);
  // Save keeps the stored status, so it never undoes an archive made beside the editor.
  const status = savedStatus ?? state.status;

  const update = (change: Partial<EditorState>) => setState((s) => ({ ...s, ...change }));
  const updateSection = (section: SectionState, change: Partial<SectionState>) =>
    setState((s) => ({ ...s, sections: s.sections.map((x) => (x.key === section.key ? { ...x, ...change } : x)) }));
  const updateField = (field: FieldState, change: Partial<FieldState>) =>
    setState((s) => ({ ...s, fields: s.fields.map((x) => (x.key === field.key ? { ...x, ...change } : x)) }));

  const addSection = () =>
    setState((s) => ({ ...s, sections: [...s.sections, { key: newKey('section'), title: '' }] }));
  const removeSection = (section: SectionState) =>
    setState((s) => ({
      ...s,
      sections: s.sections.filter((x) => x.key !== section.key),
      fields: s.fields.filter((f) => f.sectionKey !== section.key),
    }));
  const addField = (sectionKey: string | null) =>
    setState((s) => ({
      ...s,
      fields: [
        ...s.fields,
        { key: newKey('field'), sectionKey, label: '', type: 'text', required: false, choices: '' },
      ],
    }));

  const submit = (status: FormStatus) => {
    const draft = toDraft(state, status);
    const found = checkDraft(state, draft);
    setChecking(found.size > 0);
    if (found.size > 0) {
      setPreviewing(false); // the fields with the problems must be on screen
      setProblemJumps((n) => n + 1);
      return;
    }
    save.mutate(draft, {
      onSuccess: (detail) => {
        // New sections and fields now have ids; keep them, or the next save would add them again.
        const next = editorFromDetail(detail);
        setState(next);
        setSaved(next);
        onSaved?.(detail);
      },
    });
  };

  const groups: { key: string | null; section?: SectionState; index: number }[] = state.sections.map(
    (section, index) => ({
      key: section.key,
      section,
      index,
    }),
  );
  if (fieldsIn(state, null).length > 0) groups.push({ key: null, index: state.sections.length });

  return (
    <form
      ref={formRef}
      className="form-editor"
      aria-label="Form editor"
      onSubmit={(e) => {
        e.preventDefault();
        submit(status);
      }}
      noValidate
    >
      {/* Sticky under the toolbar: the status and Save / Publish stay in reach on a long form. */}
      <div className="form-editor__bar">
        <span className={`badge badge--${status}`}>{status}</span>
        <span className="muted" aria-live="polite">
          {save.isPending ? 'Saving…' : dirty ? 'Unsaved changes' : save.isSuccess ? 'All changes saved' : ''}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="button"
          aria-pressed={previewing}
          onClick={() => setPreviewing((shown) => !shown)}
        >
          <Eye size={14} aria-hidden="true" />
          {previewing ? 'Back to editing' : 'Preview'}
        </button>
        <button type="submit" className="button" disabled={save.isPending}>
          Save
        </button>
        {status !== 'published' && (
          <button
            type="button"
            className="button button--primary"
            disabled={save.isPending}
            onClick={() => submit('published')}
          >
            Publish
          </button>
        )}
      </div>
      {leaveDialog}
      {problems.size > 0 && (
        <div role="alert" className="form-error-summary">
          <p>The form cannot be saved yet:</p>
          <ul>
            {[...new Set(problems.values())].map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      )}
      {previewing ? (
        <FormPreview state={state} />
      ) : (
        <>
          <div className="form-row">
            <label htmlFor="form-title">Title</label>
            <input
              id="form-title"
              value={state.title}
              onChange={(e) => update({ title: e.target.value })}
              aria-invalid={problems.has('title') || undefined}
              aria-describedby={problems.has('title') ? 'form-title-problem' : undefined}
            />
            {problems.has('title') && (
              <p id="form-title-problem" className="form-error">
                {problems.get('title')}
              </p>
            )}
          </div>
          <div className="form-row">
            <label htmlFor="form-description">Description</label>
            <textarea
              id="form-description"
              rows={2}
              value={state.description}
              onChange={(e) => update({ description: e.target.value })}
              aria-invalid={problems.has('description') || undefined}
              aria-describedby={problems.has('description') ? 'form-description-problem' : undefined}
            />
            {problems.has('description') && (
              <p id="form-description-problem" className="form-error">
                {problems.get('description')}
              </p>
            )}
          </div>
          <p className="muted">Status: {status}</p>

          {state.sections.length === 0 && fieldsIn(state, null).length === 0 && (
            <div className="empty-state empty-state--left">
              <p>This form has no questions yet.</p>
              <p className="muted">
                Press Add section below, give it a title such as “Outside the store”, then Add field for each question a
                store answers. Preview shows the form as a store will fill it in.
              </p>
            </div>
          )}

          <FormOutline
            state={state}
            onSections={(keys) =>
              setState((s) => ({ ...s, sections: keys.map((key) => s.sections.find((x) => x.key === key)!) }))
            }
            onFields={(sectionKey, keys) =>
              setState((s) => {
                // The section's fields take the new order; the other fields stay where they are.
                const moved = keys.map((key) => s.fields.find((f) => f.key === key)!);
                let next = 0;
                return { ...s, fields: s.fields.map((f) => (f.sectionKey === sectionKey ? moved[next++]! : f)) };
              })
            }
          />

          {groups.map(({ key, section, index }) => {
            const fields = fieldsIn(state, key);
            const name = section ? `Section ${index + 1}` : 'Fields without a section';
            return (
              <fieldset key={key ?? 'no-section'} className="section-editor">
                <legend>{name}</legend>
                {section && (
                  <div className="form-row">
                    <label htmlFor={`${section.key}-title`}>Section title</label>
                    <input
                      id={`${section.key}-title`}
                      value={section.title}
                      onChange={(e) => updateSection(section, { title: e.target.value })}
                      aria-invalid={problems.has(section.key) || undefined}
                      aria-describedby={problems.has(section.key) ? `${section.key}-problem` : undefined}
                    />
                    {problems.has(section.key) && (
                      <p id={`${section.key}-problem`} className="form-error">
                        {problems.get(section.key)}
                      </p>
                    )}
                    <div className="actions actions--small">
                      <button
                        type="button"
                        className="button button--small"
                        disabled={index === 0}
                        onClick={() => setState((s) => ({ ...s, sections: moveWithin(s.sections, section, -1) }))}
                      >
                        Move section up
                      </button>
                      <button
                        type="button"
                        className="button button--small"
                        disabled={index === state.sections.length - 1}
                        onClick={() => setState((s) => ({ ...s, sections: moveWithin(s.sections, section, 1) }))}
                      >
                        Move section down
                      </button>
                      <button
                        type="button"
                        className="button button--small button--danger"
                        onClick={() => removeSection(section)}
                      >
                        Remove section
                      </button>
                    </div>
                  </div>
                )}
                {fields.map((field, position) => (
                  <FieldEditor
                    key={field.key}
                    field={field}
                    number={position + 1}
                    problem={problems.get(field.key)}
                    isFirst={position === 0}
                    isLast={position === fields.length - 1}
                    onChange={(change) => updateField(field, change)}
                    onMove={(step) =>
                      setState((s) => ({
                        ...s,
                        fields: moveWithin(s.fields, field, step, (f) => f.sectionKey === key),
                      }))
                    }
                    onRemove={() => setState((s) => ({ ...s, fields: s.fields.filter((f) => f.key !== field.key) }))}
                  />
                ))}
                <button type="button" className="button button--small" onClick={() => addField(key)}>
                  Add field
                </button>
              </fieldset>
            );
          })}

          <div className="actions">
            <button type="button" className="button" onClick={addSection}>
              Add section
            </button>
          </div>
        </>
      )}
      {save.isError && (
        <p role="alert" className="form-error">
          Could not save the form: {save.error.message}
        </p>
      )}
      {save.isSuccess && !save.isPending && <p role="status">Saved.</p>}
    </form>
  );
};
