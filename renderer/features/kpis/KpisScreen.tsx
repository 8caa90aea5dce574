// KPIs: per store and metric, the values over time against the target as a chart and a table,
// and the form to enter new values. Loaded on demand: recharts is the app's largest dependency.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useInsight } from '../../api/context.js';
import { useDeleteKpi } from '../../api/mutations.js';
import { kpisQuery } from '../../api/queries.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import { KpiChart, type KpiPoint } from './KpiChart.js';
import { KpiEntryForm } from './KpiEntryForm.js';

const noStore = '(no store)';
const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b));

export const KpisScreen = () => {
  const api = useInsight();
  const kpis = useQuery(kpisQuery(api));
  const remove = useDeleteKpi();
  const [store, setStore] = useState('');
  const [metric, setMetric] = useState('');

  const rows = (kpis.data ?? []).filter((k) => !k.deleted_at);
  const stores = sorted(rows.map((k) => k.store_id ?? noStore));
  const metrics = sorted(rows.map((k) => k.metric));
  const chosenStore = store || stores[0] || '';
  const chosenMetric = metric || metrics[0] || '';
  const shown = rows
    .filter((k) => (k.store_id ?? noStore) === chosenStore && k.metric === chosenMetric)
    // Over time: by period when one was given, else by when the value was entered.
    .sort((a, b) => (a.period ?? a.updated_at).localeCompare(b.period ?? b.updated_at));
  const points: KpiPoint[] = shown.map((k) => ({
    when: k.period ?? new Date(k.updated_at).toLocaleDateString(),
    value: k.value,
    target: k.target,
  }));

  return (
    <div className="screen">
      <header className="screen__header">
        <h1>KPIs</h1>
      </header>
      <KpiEntryForm metrics={metrics} />
      <QueryState query={kpis} loading="Loading KPIs…" failure="Could not load KPIs" />
      {kpis.data && rows.length === 0 && <p>No KPI values yet.</p>}
      {rows.length > 0 && (
        <>
          <form className="filters" aria-label="Choose store and metric" onSubmit={(e) => e.preventDefault()}>
            <label>
              Store
              <select value={chosenStore} onChange={(e) => setStore(e.target.value)}>
                {stores.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
            <label>
              Metric
              <select value={chosenMetric} onChange={(e) => setMetric(e.target.value)}>
                {metrics.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </label>
          </form>
          <KpiChart title={`${chosenMetric} at ${chosenStore}`} points={points} />
          <DataTable
            label={`${chosenMetric} at ${chosenStore}`}
            columns={['Period', 'Value', 'Target', 'Against target']}
            actions
          >
            {shown.length === 0 && (
              <tr>
                <td colSpan={5}>No values for this store and metric.</td>
              </tr>
            )}
            {shown.map((k) => (
              <tr key={k.id}>
                <th scope="row">{k.period ?? new Date(k.updated_at).toLocaleString()}</th>
                <td>{k.value}</td>
                <td>{k.target ?? '—'}</td>
                <td>
                  {k.target === null
                    ? '—'
                    : k.value >= k.target
                      ? 'On target'
                      : `${(k.target - k.value).toLocaleString()} below`}
                </td>
                <td>
                  <button
                    type="button"
                    className="button button--small button--danger"
                    aria-label={`Delete ${k.metric} ${k.period ?? ''} value ${k.value}`.replace(/\s+/g, ' ')}
                    onClick={() => remove.mutate({ id: k.id })}
                    disabled={remove.isPending}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
          {remove.isError && <p role="alert">Could not delete: {remove.error.message}</p>}
        </>
      )}
    </div>
  );
};

export default KpisScreen;
