// Editing one KPI value in place (a cell of the overview): value and target, checked with the
// contract's KpiUpdate schema, each problem under its field. Enter saves, Esc puts the cell back.
import { useState } from 'react';
import { KpiUpdate, type IpcReply } from '../../../shared/ipc.js';
import { useUpdateKpi } from '../../api/mutations.js';
import { LabelledInput } from '../../components/LabelledInput.js';

export type KpiCellValue = IpcReply<'kpis:overview'>[number];

export const cellName = (cell: Pick<KpiCellValue, 'metric' | 'store_id'>) =>
  `${cell.metric} at ${cell.store_id ?? '(no store)'}`;

export const KpiCellEditor = ({ cell, onDone }: { cell: KpiCellValue; onDone: () => void }) => {
  const [value, setValue] = useState(String(cell.value));
  const [target, setTarget] = useState(cell.target === null ? '' : String(cell.target));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const update = useUpdateKpi();

  return (
    <form
      className="kpi-cell-editor"
      aria-label={`Edit ${cellName(cell)}`}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = KpiUpdate.safeParse({
          id: cell.id,
          value: value.trim() === '' ? undefined : Number(value),
          target: target.trim() === '' ? null : Number(target),
        });
        if (!parsed.success) {
          setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
          return;
        }
        setErrors({});
        update.mutate(parsed.data, { onSuccess: onDone });
      }}
    >
      <LabelledInput
        label="Value"
        type="number"
        step="any"
        // The manager clicked this cell to type into it.
        autoFocus
        value={value}
        error={errors.value}
        onValue={setValue}
      />
      <LabelledInput label="Target" type="number" step="any" value={target} error={errors.target} onValue={setTarget} />
      <span className="kpi-cell-editor__actions">
        <button type="submit" className="button button--small button--primary" disabled={update.isPending}>
          Save
        </button>
        <button type="button" className="button button--small" onClick={onDone}>
          Cancel
        </button>
      </span>
      {update.isError && <p role="alert">Could not save: {update.error.message}</p>}
    </form>
  );
};
