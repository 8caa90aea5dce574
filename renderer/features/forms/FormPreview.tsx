// What a store sees: the form as the store app shows it to be filled in, read-only, from the
// editor's current (perhaps unsaved) state, so the manager can check wording and order before
// publishing. Each field type shows the control a store gets: a text box, a number, Yes / No,
// the choices, a date.
import { useId } from 'react';
import type { EditorState, FieldState } from './editor-state.js';
import { fieldsIn, sectionName } from './editor-state.js';

const choicesOf = (field: FieldState) =>
  field.choices
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

const PreviewField = ({ field }: { field: FieldState }) => {
  const id = useId();
  const label = (
    <>
      {field.label.trim() || 'Untitled field'}
      {field.required && <span aria-hidden="true"> *</span>}
    </>
  );
  if (field.type === 'boolean' || field.type === 'choice') {
    const options = field.type === 'boolean' ? ['Yes', 'No'] : choicesOf(field);
    return (
      <fieldset className="form-preview__field" aria-required={field.required || undefined}>
        <legend>{label}</legend>
        {options.map((option) => (
          <label key={option} className="inline">
            <input type="radio" name={id} disabled /> {option}
          </label>
        ))}
      </fieldset>
    );
  }
  return (
    <div className="form-preview__field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text'}
        required={field.required}
        readOnly
      />
    </div>
  );
};

export const FormPreview = ({ state }: { state: EditorState }) => {
  const groups = [
    ...state.sections.map((section, index) => ({ key: section.key, title: sectionName(section.title, index) })),
    { key: null, title: null },
  ];
  const empty = state.fields.length === 0;
  return (
    <section className="form-preview" aria-label="Preview of what the store sees">
      <h2>{state.title.trim() || 'Untitled form'}</h2>
      {state.description.trim() && <p>{state.description}</p>}
      {empty && <p className="muted">No fields yet: a store would see an empty form. Add a section and its fields.</p>}
      {groups.map(({ key, title }) => {
        const fields = fieldsIn(state, key);
        if (fields.length === 0) return null;
        return (
          <section key={key ?? 'no-section'} aria-label={title ?? 'Other questions'}>
            {title && <h3>{title}</h3>}
            {fields.map((field) => (
              <PreviewField key={field.key} field={field} />
            ))}
          </section>
        );
      })}
      {!empty && <p className="muted">* required</p>}
    </section>
  );
};
