// Adding or editing a team member; checked with the contract's TeamInput schema.
import { useState } from 'react';
import type { z } from 'zod';
import { TeamInput } from '../../../shared/ipc.js';
import { useSaveTeamMember } from '../../api/mutations.js';
import { FormProblems, problemsOf } from '../../components/FormProblems.js';
import { LabelledInput } from '../../components/LabelledInput.js';
import { StorePicker } from '../../components/StorePicker.js';

type Member = z.input<typeof TeamInput>;

const toValues = (member: Member | null) => ({
  name: member?.name ?? '',
  role: member?.role ?? '',
  store_id: member?.store_id ?? '',
  email: member?.email ?? '',
  active: member?.active ?? true,
});

export const TeamMemberForm = ({ member, onDone }: { member: Member | null; onDone: () => void }) => {
  const [values, setValues] = useState(() => toValues(member));
  const [problems, setProblems] = useState<string[]>([]);
  /** Each problem under the field it belongs to (by the schema's path); the alert lists them all. */
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const save = useSaveTeamMember();
  const set = (change: Partial<typeof values>) => setValues((v) => ({ ...v, ...change }));
  const editing = Boolean(member?.id);

  return (
    <form
      className="inline-form"
      aria-label={editing ? 'Edit team member' : 'Add team member'}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = TeamInput.safeParse({
          ...(member?.id ? { id: member.id } : {}),
          name: values.name,
          role: values.role.trim() || null,
          store_id: values.store_id.trim() || null,
          email: values.email.trim() || null,
          active: values.active,
        });
        if (!parsed.success) {
          const { problems, fieldErrors } = problemsOf(parsed.error);
          setProblems(problems);
          setFieldErrors(fieldErrors);
          return;
        }
        setProblems([]);
        setFieldErrors({});
        save.mutate(parsed.data, {
          onSuccess: () => {
            setValues(toValues(null));
            onDone();
          },
        });
      }}
    >
      <h2>{editing ? `Edit ${member?.name}` : 'Add a team member'}</h2>
      <LabelledInput
        label="Name"
        data-shortcut="new"
        value={values.name}
        error={fieldErrors.name}
        onValue={(name) => set({ name })}
      />
      <LabelledInput label="Role" value={values.role} placeholder="e.g. Shift lead" onValue={(role) => set({ role })} />
      <StorePicker
        value={values.store_id || null}
        error={fieldErrors.store_id}
        onChange={(code) => set({ store_id: code ?? '' })}
      />
      <LabelledInput
        label="Email"
        type="email"
        value={values.email}
        error={fieldErrors.email}
        onValue={(email) => set({ email })}
      />
      <label className="inline">
        <input type="checkbox" checked={values.active} onChange={(e) => set({ active: e.target.checked })} />
        Active
      </label>
      <button type="submit" className="button button--primary" disabled={save.isPending}>
        {editing ? 'Save changes' : 'Add member'}
      </button>
      {editing && (
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      )}
      <FormProblems problems={problems} />
      {save.isError && <p role="alert">Could not save: {save.error.message}</p>}
    </form>
  );
};
