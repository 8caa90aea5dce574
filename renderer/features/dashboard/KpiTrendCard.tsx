// KPI trends against targets: one metric, every store on one chart, over a chosen period (4 weeks,
// 3 months, 12 months), with each store's latest value against its target listed under it.
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { ToggleButton, ToggleButtonGroup } from 'react-aria-components';
import { useInsight } from '../../api/context.js';
import { kpiOverviewQuery, kpiTrendQuery } from '../../api/dashboard-queries.js';
import { hrefFor } from '../../app/routes.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import {
  againstTarget,
  latestByStore,
  pivotTrend,
  storeName,
  trendFrom,
  trendPeriods,
  type TrendPeriod,
} from './trend-data.js';

// Recharts is the heaviest dependency: the rest of Home shows while it loads.
const TrendChart = lazy(() => import('./TrendChart.js'));

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export const KpiTrendCard = ({ now }: { now: Date }) => {
  const api = useInsight();
  const overview = useQuery(kpiOverviewQuery(api));
  // The metric entered at the most stores first: the most telling chart is the one on show.
  const stores = new Map<string, number>();
  for (const c of overview.data ?? []) stores.set(c.metric, (stores.get(c.metric) ?? 0) + 1);
  const metrics = [...stores.keys()].sort((a, b) => stores.get(b)! - stores.get(a)! || a.localeCompare(b));
  const [chosen, setChosen] = useState('');
  const metric = metrics.includes(chosen) ? chosen : (metrics[0] ?? '');
  const [period, setPeriod] = useState<TrendPeriod>('3m');
  const trend = useQuery({ ...kpiTrendQuery(api, { metric, from: trendFrom(period, now) }), enabled: metric !== '' });

  const rows = trend.data ?? [];
  const { stores: lines, points } = pivotTrend(rows);
  const withTarget = new Set(rows.filter((r) => r.target !== null).map((r) => storeName(r.store_id)));
  const periodLabel = trendPeriods.find((p) => p.id === period)!.label;
  const title = `${metric} by store, last ${periodLabel}`;

  return (
    <section className="card dashboard-card dashboard-card--trends" aria-labelledby="trend-heading">
      <div className="dashboard-card__head">
        <h2 id="trend-heading">KPI trends</h2>
        {metrics.length > 0 && (
          <>
            <label className="dashboard-card__control">
              Metric
              <select value={metric} onChange={(e) => setChosen(e.target.value)}>
                {metrics.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </label>
            <ToggleButtonGroup
              aria-label="Period"
              className="segmented"
              selectionMode="single"
              disallowEmptySelection
              selectedKeys={[period]}
              onSelectionChange={(keys) => setPeriod([...keys][0] as TrendPeriod)}
            >
              {trendPeriods.map((p) => (
                <ToggleButton key={p.id} id={p.id} className="segmented__item">
                  {p.label}
                </ToggleButton>
              ))}
            </ToggleButtonGroup>
          </>
        )}
      </div>
      <QueryState query={overview} loading="Loading KPIs…" failure="Could not load KPIs" />
      {overview.data && metrics.length === 0 && (
        <div className="empty-state">
          <p>No KPI values yet</p>
          <p>
            Enter a value on the <a href={hrefFor.kpis}>KPIs</a> screen (a metric such as Sales, a store, the day it is
            for and a target) and its trend shows here, every store on one chart.
          </p>
        </div>
      )}
      {metric !== '' && <QueryState query={trend} failure="Could not load the trend" />}
      {trend.data && rows.length === 0 && (
        <p className="muted">
          No {metric} values in the last {periodLabel}. Choose a longer period, or enter one on the KPIs screen.
        </p>
      )}
      {rows.length > 0 && (
        <>
          <figure className="dashboard-chart">
            <div
              role="img"
              aria-label={`${title}: ${plural(lines.length, 'store', 'stores')}, ${plural(rows.length, 'value', 'values')}`}
            >
              <Suspense fallback={<p className="muted">Drawing the chart…</p>}>
                <TrendChart stores={lines} withTarget={withTarget} points={points} />
              </Suspense>
            </div>
          </figure>
          <DataTable
            label={`${metric}: latest against target`}
            columns={['Store', 'Period', 'Value', 'Target', 'Against target']}
          >
            {latestByStore(rows).map((row) => (
              <tr
                key={storeName(row.store_id)}
                data-on-target={row.target === null ? undefined : row.value >= row.target}
              >
                <th scope="row">{storeName(row.store_id)}</th>
                <td>{row.period}</td>
                <td>{row.value.toLocaleString()}</td>
                <td>{row.target === null ? '—' : row.target.toLocaleString()}</td>
                <td>{againstTarget(row.value, row.target)}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
};
