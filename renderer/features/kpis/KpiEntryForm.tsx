// Entering a KPI value: checked with the contract's KpiInput schema before it is sent, each
// problem under its field. The period is a day (the picker starts on today). One value per store,
// metric and period: entering one that exists edits it (main/repos/kpis.ts), and the form says so.
import { useState } from 'react';
import { KpiInput } from '../../../shared/ipc.js';
import { useCreateKpi } from '../../api/mutations.js';
import { FormProblems } from '../../components/FormProblems.js';
import { LabelledInput } from '../../components/LabelledInput.js';
import { StorePicker } from '../../components/StorePicker.js';
import { PeriodPicker } from '../../components/PeriodPicker.js';
import { localDay } from '../dashboard/local-days.js';

const blank = { metric: '', value: '', store_id: '', period: '', target: '' };
const today = () => localDay(new Date());

export type KpiKey = { metric: string; store_id: string | null; period: string | null };

interface Props {
  metrics: string[];
  /** Whether a value of this store, metric and period is entered already (saving then edits it). */
  isEntered?: (key: KpiKey) => boolean;
}

export const KpiEntryForm = ({ metrics, isEntered = () => false }: Props) => {
  const [values, setValues] = useState(() => ({ ...blank, period: today() }));
  const [problems, setProblems] = useState<string[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
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
        const issues = parsed.success
          ? []
          : parsed.error.issues.map((i) => ({ field: String(i.path[0]), text: i.message }));
        if (values.period === '') issues.push({ field: 'period', text: 'Pick the day this value is for' });
        setProblems(issues.map((i) => i.text));
        setFieldErrors(Object.fromEntries(issues.map((i) => [i.field, i.text])));
        if (!parsed.success || issues.length > 0) return;
        const kpi = parsed.data;
        const edits = isEntered(kpi);
        setSaved(null);
        create.mutate(kpi, {
          onSuccess: () => {
            setValues((v) => ({ ...blank, metric: v.metric, store_id: v.store_id, period: v.period }));
            setSaved(
              edits
                ? `KPI value updated: ${kpi.metric} at ${kpi.store_id ?? 'no store'} for ${kpi.period} already had one.`
                : 'KPI value saved.',
            );
          },
        });
      }}
    >
      <h2>Enter a KPI value</h2>
      <LabelledInput
        label="Metric"
        data-shortcut="new"
        list="kpi-metrics"
        value={values.metric}
        error={fieldErrors.metric}
        onValue={(metric) => set({ metric })}
      />
      <datalist id="kpi-metrics">
        {metrics.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      <LabelledInput
        label="Value"
        type="number"
        step="any"
        value={values.value}
        error={fieldErrors.value}
        onValue={(value) => set({ value })}
      />
      <StorePicker value={values.store_id || null} onChange={(code) => set({ store_id: code ?? '' })} />
      <PeriodPicker value={values.period} error={fieldErrors.period} onChange={(period) => set({ period })} />
      <LabelledInput
        label="Target"
        type="number"
        step="any"
        value={values.target}
        error={fieldErrors.target}
        onValue={(target) => set({ target })}
      />
      <button type="submit" className="button button--primary" disabled={create.isPending}>
        Add KPI value
      </button>
      <FormProblems problems={problems} />
      {create.isError && <p role="alert">Could not save the KPI value: {create.error.message}</p>}
      {saved && !create.isPending && <p role="status">{saved}</p>}
    </form>
  );
};
