// The trend chart's data: main's rows (one per store and period) pivoted into one point per
// period with a value (and a target) per store, as recharts draws one line per key; plus each
// store's latest value against its target, which the card lists under the chart.
import type { IpcReply } from '../../../shared/ipc.js';
import { daysBefore, localDay } from './local-days.js';

export type TrendRow = IpcReply<'kpis:trend'>[number];
export type TrendPoint = { period: string } & Record<string, number | string | null>;

export const trendPeriods = [
  { id: '4w', label: '4 weeks' },
  { id: '3m', label: '3 months' },
  { id: '12m', label: '12 months' },
] as const;
export type TrendPeriod = (typeof trendPeriods)[number]['id'];

/**
 * The first period shown. Periods are days (YYYY-MM-DD) or, in older rows, months (YYYY-MM): both
 * compare as text, so "from the first of the month three months back" keeps whole months.
 */
export const trendFrom = (period: TrendPeriod, now: Date): string => {
  if (period === '4w') return localDay(daysBefore(now, 27));
  const months = period === '3m' ? 3 : 12;
  return localDay(new Date(now.getFullYear(), now.getMonth() - (months - 1), 1)).slice(0, 7);
};

export const storeName = (store: string | null) => store ?? '(no store)';
export const targetKey = (store: string) => `${store} target`;

export const pivotTrend = (rows: readonly TrendRow[]): { stores: string[]; points: TrendPoint[] } => {
  const stores = [...new Set(rows.map((r) => storeName(r.store_id)))].sort((a, b) => a.localeCompare(b));
  const byPeriod = new Map<string, TrendPoint>();
  for (const row of rows) {
    const point = byPeriod.get(row.period!) ?? { period: row.period! };
    point[storeName(row.store_id)] = row.value;
    point[targetKey(storeName(row.store_id))] = row.target;
    byPeriod.set(row.period!, point);
  }
  return { stores, points: [...byPeriod.values()] };
};

/** Each store's latest value in the window, against its target. */
export const latestByStore = (rows: readonly TrendRow[]): TrendRow[] => {
  const latest = new Map<string, TrendRow>();
  for (const row of rows) latest.set(storeName(row.store_id), row); // rows come oldest period first
  return [...latest.values()].sort((a, b) => storeName(a.store_id).localeCompare(storeName(b.store_id)));
};

export const againstTarget = (value: number, target: number | null): string =>
  target === null ? 'No target' : value >= target ? 'On target' : `${(target - value).toLocaleString()} below`;
