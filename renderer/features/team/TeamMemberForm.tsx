// Adding or editing a team member; checked with the contract's TeamInput schema.
import { useState } from 'react';
import type { z } from 'zod';
import { TeamInput } from '../../../shared/ipc.js';
import { useSaveTeamMember } from '../../api/mutations.js';

type Member = z.input<typeof TeamInput>;

const toValues = (member: Member | null) => ({
  name: member?.name ?? '',
  role: member?.role ?? '',
  store_id: member?.store_id ?? '',
  email: member?.email ?? '',
  active: member?.active ?? true,
});

export const TeamMemberForm = ({ member, onDone }: { member: Member | null; onDone(): void }) => {
  const [values, setValues] = useState(() => toValues(member));
  const [problems, setProblems] = useState<string[]>([]);
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
          setProblems(parsed.error.issues.map((issue) => issue.message));
          return;
        }
        setProblems([]);
        save.mutate(parsed.data, {
          onSuccess: () => {
            setValues(toValues(null));
            onDone();
          },
        });
      }}
    >
      <h2>{editing ? `Edit ${member?.name}` : 'Add a team member'}</h2>
      <label>
        Name
        <input value={values.name} onChange={(e) => set({ name: e.target.value })} />
      </label>
      <label>
        Role
        <input value={values.role} placeholder="e.g. Shift lead" onChange={(e) => set({ role: e.target.value })} />
      </label>
      <label>
        Store
        <input value={values.store_id} onChange={(e) => set({ store_id: e.target.value })} />
      </label>
      <label>
        Email
        <input type="email" value={values.email} onChange={(e) => set({ email: e.target.value })} />
      </label>
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
      {problems.length > 0 && (
        <div role="alert" className="form-error">
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      {save.isError && <p role="alert">Could not save: {save.error.message}</p>}
    </form>
  );
};
