// A text or number input inside its own label, as the inline forms (KPI entry, team member)
// lay them out: the label's text is the input's accessible name, with no id to keep unique.
// `error` is shown right under the field it belongs to (outside the label, so it is the input's
// description, not part of its name), and marks the input invalid, so a screen
// reader reads the problem with the field.
import { useId, type InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> & {
  label: string;
  /** The input's new text, as typed (forms parse it with their zod schema on submit). */
  onValue: (value: string) => void;
  error?: string;
};

export const LabelledInput = ({ label, onValue, error, ...input }: Props) => {
  const errorId = useId();
  return (
    <span className="labelled-field">
      <label>
        {label}
        <input
          {...input}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => onValue(e.target.value)}
        />
      </label>
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </span>
  );
};
