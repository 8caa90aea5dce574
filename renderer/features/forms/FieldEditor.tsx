// One field of the form editor: label, type (every field type of shared/tables.ts), required flag, the
// options of a choice field, and its place among the section's fields.
import { useId } from 'react';
import { fieldTypes } from '../../../shared/tables.js';
import { fieldTypeLabels, type FieldState, type FieldType } from './editor-state.js';

interface Props {
  field: FieldState;
  number: number;
  problem?: string;
  isFirst: boolean;
  isLast: boolean;
  onChange: (change: Partial<FieldState>) => void;
  onMove: (step: -1 | 1) => void;
  onRemove: () => void;
}

export const FieldEditor = ({ field, number, problem, isFirst, isLast, onChange, onMove, onRemove }: Props) => {
  const id = useId();
  return (
    <fieldset className={`field-editor${problem ? ' field-editor--invalid' : ''}`}>
      <legend>Field {number}</legend>
      <div className="field-editor__row">
        <label htmlFor={`${id}-label`}>Label</label>
        <input
          id={`${id}-label`}
          value={field.label}
          onChange={(e) => onChange({ label: e.target.value })}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
        />
        <label htmlFor={`${id}-type`}>Type</label>
        <select id={`${id}-type`} value={field.type} onChange={(e) => onChange({ type: e.target.value as FieldType })}>
          {fieldTypes.map((type) => (
            <option key={type} value={type}>
              {fieldTypeLabels[type]}
            </option>
          ))}
        </select>
        <label className="inline">
          <input type="checkbox" checked={field.required} onChange={(e) => onChange({ required: e.target.checked })} />
          Required
        </label>
      </div>
      {field.type === 'choice' && (
        <div className="field-editor__row">
          <label htmlFor={`${id}-choices`}>Options (one per line)</label>
          <textarea
            id={`${id}-choices`}
            rows={3}
            value={field.choices}
            onChange={(e) => onChange({ choices: e.target.value })}
          />
        </div>
      )}
      {problem && (
        <p id={`${id}-problem`} className="form-error">
          {problem}
        </p>
      )}
      <div className="actions actions--small">
        <button type="button" className="button button--small" onClick={() => onMove(-1)} disabled={isFirst}>
          Move up
        </button>
        <button type="button" className="button button--small" onClick={() => onMove(1)} disabled={isLast}>
          Move down
        </button>
        <button type="button" className="button button--small button--danger" onClick={onRemove}>
          Remove field
        </button>
      </div>
    </fieldset>
  );
};
