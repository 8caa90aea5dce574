// KPIs: opens on the overview of stores × metrics (latest value against target, edited in place),
// then the form to enter values and, per store and metric, the values over time against the
// target as a chart and a table. Loaded on demand: recharts is the app's largest dependency.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useInsight } from '../../api/context.js';
import { useDeleteKpi } from '../../api/mutations.js';
import { kpiOverviewQuery } from '../../api/dashboard-queries.js';
import { kpisQuery } from '../../api/queries.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import { KpiChart, type KpiPoint } from './KpiChart.js';
import { KpiEntryForm, type KpiKey } from './KpiEntryForm.js';
import { KpiOverview } from './KpiOverview.js';

const noStore = '(no store)';
const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b));

export const KpisScreen = () => {
  const api = useInsight();
  const kpis = useQuery(kpisQuery(api));
  const overview = useQuery(kpiOverviewQuery(api));
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
  const isEntered = (key: KpiKey) =>
    rows.some((k) => k.metric === key.metric && k.store_id === key.store_id && k.period === key.period);
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
      <section className="kpi-overview" aria-labelledby="kpi-overview-heading">
        <h2 id="kpi-overview-heading">Overview</h2>
        <QueryState query={overview} loading="Loading KPIs…" failure="Could not load KPIs" />
        {overview.data && overview.data.length === 0 && (
          <div className="empty-state">
            <p>No KPI values yet</p>
            <p>
              Enter the first one below: a metric such as Sales, the store, the day it is for and the value. Add a
              target to see here, store by store, which are on it and which are under it.
            </p>
          </div>
        )}
        {overview.data && overview.data.length > 0 && (
          <>
            <p className="muted">Each store’s latest value. Click a value to change it.</p>
            <KpiOverview cells={overview.data} />
          </>
        )}
      </section>
      <KpiEntryForm metrics={metrics} isEntered={isEntered} />
      <QueryState query={kpis} failure="Could not load KPIs" />
      {rows.length > 0 && (
        <>
          <h2>History</h2>
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
