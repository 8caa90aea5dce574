// Adding or editing a store; checked with the contract's StoreInput schema, each problem under
// its field. A store's code is fixed once it exists: rows name their store by it.
import { useState } from 'react';
import type { RowOf } from '../../../shared/tables.js';
import { StoreInput } from '../../../shared/ipc.js';
import { useSaveStore } from '../../api/mutations.js';
import { FormProblems, problemsOf } from '../../components/FormProblems.js';
import { LabelledInput } from '../../components/LabelledInput.js';
import { useToast } from '../../components/Toasts.js';

type Store = RowOf<'stores'>;

const toValues = (store: Store | null) => ({
  code: store?.code ?? '',
  name: store?.name ?? '',
  region: store?.region ?? '',
});

export const StoreForm = ({ store, onDone }: { store: Store | null; onDone: () => void }) => {
  const [values, setValues] = useState(() => toValues(store));
  const [problems, setProblems] = useState<string[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const save = useSaveStore();
  const toast = useToast();
  const set = (change: Partial<typeof values>) => setValues((v) => ({ ...v, ...change }));
  const editing = store !== null;

  return (
    <form
      className="inline-form"
      aria-label={editing ? 'Edit store' : 'Add store'}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = StoreInput.safeParse({
          ...(store ? { id: store.id, active: store.active } : {}),
          code: values.code,
          name: values.name,
          region: values.region.trim() || null,
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
          onSuccess: (saved) => {
            toast.show({ text: editing ? `${saved.code} saved.` : `${saved.code} ${saved.name} added.` });
            setValues(toValues(null));
            onDone();
          },
        });
      }}
    >
      <h2>{editing ? `Edit ${store.code}` : 'Add a store'}</h2>
      <LabelledInput
        label="Code"
        data-shortcut="new"
        value={values.code}
        placeholder="e.g. S004"
        readOnly={editing}
        title={editing ? 'Rows name the store by its code, so it stays as it is' : undefined}
        error={fieldErrors.code}
        onValue={(code) => set({ code })}
      />
      <LabelledInput label="Name" value={values.name} error={fieldErrors.name} onValue={(name) => set({ name })} />
      <LabelledInput
        label="Region"
        value={values.region}
        placeholder="optional"
        error={fieldErrors.region}
        onValue={(region) => set({ region })}
      />
      <button type="submit" className="button button--primary" disabled={save.isPending}>
        {editing ? 'Save changes' : 'Add store'}
      </button>
      {editing && (
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      )}
      <FormProblems problems={problems} />
      {save.isError && <p role="alert">Could not save the store: {save.error.message}</p>}
    </form>
  );
};
