// KPI entries: one value of one metric for one store and period, against an optional target.
// The KPI screen charts them over time, so they come back oldest period first.
//
// One value per store, metric and period: entering it again edits the live row that has them.
// This is a rule of this repository, not a UNIQUE index: kpi_data is written by every device
// (stores too) and pulled from the server, so two devices may each create the same key offline,
// and a unique index would make that pull fail. Readers that show one value per key (overview,
// trend) take the latest entry, as settings do.
import { newId } from '../../shared/ids.js';
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { type z } from 'zod';
import { ipcChannels, KpiInput, KpiUpdate, type IpcReply, type IpcRequest } from '../../shared/ipc.js';
import type { RowOf } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { localTransaction, nowIso, writeTombstone } from '../db/outbox.js';
import { fromSqliteRow, wireRowFromSqlite } from '../db/rows.js';
import { kpi_data } from '../db/schema.js';
import { parseInput } from './errors.js';
import { requireLive } from './live-rows.js';

export type KpiRow = RowOf<'kpi_data'>;
/** The kpis:list request of the IPC contract: the UI and this repository parse the same filter. */
const KpiFilter = ipcChannels['kpis:list'].request;

/** Live KPI entries, optionally of one store and/or one metric, in period order (entries without a period by entry time). */
export function listKpis(store: LocalStore, input: z.input<typeof KpiFilter> = {}): KpiRow[] {
  const filter = parseInput(KpiFilter, input);
  const conditions: SQL[] = [isNull(kpi_data.deleted_at)];
  if (filter.metric !== undefined) conditions.push(eq(kpi_data.metric, filter.metric));
  if (filter.store_id !== undefined) conditions.push(eq(kpi_data.store_id, filter.store_id));
  return store.db
    .select()
    .from(kpi_data)
    .where(and(...conditions))
    .orderBy(sql`coalesce(${kpi_data.period}, ${kpi_data.updated_at})`, asc(kpi_data.updated_at), asc(kpi_data.id))
    .all()
    .map((row) => wireRowFromSqlite('kpi_data', row));
}

/** The live entry of this store, metric and period (the latest, should two devices have made one each). */
function findSameKey(store: LocalStore, kpi: { metric: string; store_id: string | null; period: string }) {
  const raw = store.sqlite
    .prepare(
      `SELECT * FROM kpi_data WHERE deleted_at IS NULL AND metric = ? AND store_id IS ? AND period = ?
       ORDER BY updated_at DESC, id DESC LIMIT 1`,
    )
    .get(kpi.metric, kpi.store_id, kpi.period) as Record<string, unknown> | undefined;
  return raw ? fromSqliteRow('kpi_data', raw) : undefined;
}

/**
 * Records a KPI value; for a store, metric and period that already has one, edits that value
 * (and target) instead. Values without a period are separate entries, as before periods existed.
 */
export function createKpi(store: LocalStore, input: z.input<typeof KpiInput>): KpiRow {
  const kpi = parseInput(KpiInput, input);
  return localTransaction(store, (local) => {
    const existing = kpi.period === null ? undefined : findSameKey(store, { ...kpi, period: kpi.period });
    if (existing)
      return local.write(
        'kpi_data',
        { ...existing, value: kpi.value, target: kpi.target, updated_at: nowIso() },
        'UPDATE',
      );
    return local.write('kpi_data', { id: newId(), ...kpi, updated_at: nowIso() }, 'INSERT');
  });
}

/** Edits one live value (and its target) in place. */
export function updateKpi(store: LocalStore, input: z.input<typeof KpiUpdate>): KpiRow {
  const { id, value, target } = parseInput(KpiUpdate, input);
  return localTransaction(store, (local) => {
    const current = requireLive(store, 'kpi_data', id, 'KPI entry');
    return local.write('kpi_data', { ...current, value, target, updated_at: nowIso() }, 'UPDATE');
  });
}

/**
 * Stores × metrics: for each pair, the value of its latest period (entries without a period
 * count by entry time), the latest entry winning within a period.
 */
export function kpiOverview(store: LocalStore): IpcReply<'kpis:overview'> {
  return store.sqlite
    .prepare(
      `SELECT id, metric, store_id, value, target, period, updated_at FROM (
         SELECT *, row_number() OVER (
           PARTITION BY metric, store_id
           ORDER BY coalesce(period, updated_at) DESC, updated_at DESC, id DESC) AS n
         FROM kpi_data WHERE deleted_at IS NULL)
       WHERE n = 1 ORDER BY metric, store_id`,
    )
    .all() as IpcReply<'kpis:overview'>;
}

/** One metric's values per store and period from `from` on (period order), one per store and period. */
export function kpiTrend(store: LocalStore, input: IpcRequest<'kpis:trend'>): IpcReply<'kpis:trend'> {
  const { metric, from } = parseInput(ipcChannels['kpis:trend'].request, input);
  return store.sqlite
    .prepare(
      `SELECT store_id, period, value, target FROM (
         SELECT *, row_number() OVER (PARTITION BY store_id, period ORDER BY updated_at DESC, id DESC) AS n
         FROM kpi_data WHERE deleted_at IS NULL AND metric = ? AND period IS NOT NULL AND period >= ?)
       WHERE n = 1 ORDER BY period, store_id`,
    )
    .all(metric, from ?? '') as IpcReply<'kpis:trend'>;
}

/** Deletes a KPI entry (tombstone). */
export function deleteKpi(store: LocalStore, id: string): void {
  localTransaction(store, (local) => {
    writeTombstone(local, 'kpi_data', requireLive(store, 'kpi_data', id, 'KPI entry'));
  });
}
