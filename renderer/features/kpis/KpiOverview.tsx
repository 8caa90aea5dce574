// The KPI screen's opening view: stores × metrics, each cell the latest value against its target
// (green on or over it, red under it, plain without one). A click on a cell edits it in place.
import { useState } from 'react';
import { DataTable } from '../../components/DataTable.js';
import { cellName, KpiCellEditor, type KpiCellValue } from './KpiCellEditor.js';
import './kpis.css';

const noStore = '(no store)';

type Tone = 'on' | 'under' | 'none';
const toneOf = (cell: KpiCellValue): Tone =>
  cell.target === null ? 'none' : cell.value >= cell.target ? 'on' : 'under';
const toneWords: Record<Tone, (cell: KpiCellValue) => string> = {
  on: (c) => `on target (${c.target!.toLocaleString()})`,
  under: (c) => `${(c.target! - c.value).toLocaleString()} under target (${c.target!.toLocaleString()})`,
  none: () => 'no target',
};

export const KpiOverview = ({ cells }: { cells: readonly KpiCellValue[] }) => {
  const [editing, setEditing] = useState<string | null>(null);
  const metrics = [...new Set(cells.map((c) => c.metric))].sort((a, b) => a.localeCompare(b));
  const stores = [...new Set(cells.map((c) => c.store_id ?? noStore))].sort((a, b) => a.localeCompare(b));
  const byKey = new Map(cells.map((c) => [`${c.store_id ?? noStore}\u0000${c.metric}`, c]));

  return (
    <DataTable label="KPI overview" columns={['Store', ...metrics]}>
      {stores.map((store) => (
        <tr key={store}>
          <th scope="row">{store}</th>
          {metrics.map((metric) => {
            const cell = byKey.get(`${store}\u0000${metric}`);
            if (!cell)
              return (
                <td key={metric} className="muted">
                  —
                </td>
              );
            if (editing === cell.id) {
              return (
                <td key={metric}>
                  <KpiCellEditor cell={cell} onDone={() => setEditing(null)} />
                </td>
              );
            }
            const tone = toneOf(cell);
            return (
              <td key={metric}>
                <button
                  type="button"
                  className="kpi-cell"
                  data-tone={tone}
                  aria-label={`${cellName(cell)}: ${cell.value.toLocaleString()}, ${toneWords[tone](cell)}${cell.period ? `, ${cell.period}` : ''}. Edit`}
                  onClick={() => setEditing(cell.id)}
                >
                  <span className="kpi-cell__value">{cell.value.toLocaleString()}</span>
                  <span className="kpi-cell__meta">
                    {cell.target === null ? 'No target' : `Target ${cell.target.toLocaleString()}`}
                    {cell.period ? ` · ${cell.period}` : ''}
                  </span>
                </button>
              </td>
            );
          })}
        </tr>
      ))}
    </DataTable>
  );
};
