// A text or number input inside its own label, as the inline forms (KPI entry, team member)
// lay them out: the label's text is the input's accessible name, with no id to keep unique.
import type { InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> & {
  label: string;
  /** The input's new text, as typed (forms parse it with their zod schema on submit). */
  onValue(value: string): void;
};

export const LabelledInput = ({ label, onValue, ...input }: Props) => (
  <label>
    {label}
    <input {...input} onChange={(e) => onValue(e.target.value)} />
  </label>
);
