// Entering a KPI value: checked with the contract's KpiInput schema before it is sent.
import { useState } from 'react';
import { KpiInput } from '../../../shared/ipc.js';
import { useCreateKpi } from '../../api/mutations.js';
import { FormProblems } from '../../components/FormProblems.js';
import { LabelledInput } from '../../components/LabelledInput.js';
import { StorePicker } from '../../components/StorePicker.js';

const blank = { metric: '', value: '', store_id: '', period: '', target: '' };

export const KpiEntryForm = ({ metrics }: { metrics: string[] }) => {
  const [values, setValues] = useState(blank);
  const [problems, setProblems] = useState<string[]>([]);
  const create = useCreateKpi();
  const set = (change: Partial<typeof blank>) => setValues((v) => ({ ...v, ...change }));
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text));

  return (
    <form
      className="inline-form kpi-entry"
      aria-label="Enter a KPI value"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = KpiInput.safeParse({
          metric: values.metric,
          value: number(values.value),
          store_id: values.store_id.trim() || null,
          period: values.period.trim() || null,
          target: values.target.trim() === '' ? null : number(values.target),
        });
        if (!parsed.success) {
          setProblems(parsed.error.issues.map((issue) => issue.message));
          return;
        }
        setProblems([]);
        create.mutate(parsed.data, {
          onSuccess: () => setValues((v) => ({ ...blank, metric: v.metric, store_id: v.store_id })),
        });
      }}
    >
      <h2>Enter a KPI value</h2>
      <LabelledInput
        label="Metric"
        data-shortcut="new"
        list="kpi-metrics"
        value={values.metric}
        onValue={(metric) => set({ metric })}
      />
      <datalist id="kpi-metrics">
        {metrics.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      <LabelledInput label="Value" type="number" step="any" value={values.value} onValue={(value) => set({ value })} />
      <StorePicker value={values.store_id || null} onChange={(code) => set({ store_id: code ?? '' })} />
      <LabelledInput
        label="Period"
        value={values.period}
        placeholder="e.g. 2026-11"
        onValue={(period) => set({ period })}
      />
      <LabelledInput
        label="Target"
        type="number"
        step="any"
        value={values.target}
        onValue={(target) => set({ target })}
      />
      <button type="submit" className="button button--primary" disabled={create.isPending}>
        Add KPI value
      </button>
      <FormProblems problems={problems} />
      {create.isError && <p role="alert">Could not save the KPI value: {create.error.message}</p>}
      {create.isSuccess && !create.isPending && <p role="status">KPI value saved.</p>}
    </form>
  );
};
