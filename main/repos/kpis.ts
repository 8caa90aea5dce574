// KPI entries: one value of one metric for one store and period, against an optional target.
// The KPI screen charts them over time, so they come back oldest period first.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { type z } from 'zod';
import { ipcChannels, KpiInput } from '../../shared/ipc.js';
import type { RowOf } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import { localTransaction, nowIso, writeTombstone } from '../db/outbox.js';
import { toWireRow } from '../db/rows.js';
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
    .map((row) => toWireRow('kpi_data', row));
}

/** Records a new KPI value. */
export function createKpi(store: LocalStore, input: z.input<typeof KpiInput>): KpiRow {
  const kpi = parseInput(KpiInput, input);
  return localTransaction(store, (local) =>
    local.write('kpi_data', { id: randomUUID(), ...kpi, updated_at: nowIso() }, 'INSERT'),
  );
}

/** Deletes a KPI entry (tombstone). */
export function deleteKpi(store: LocalStore, id: string): void {
  localTransaction(store, (local) => {
    writeTombstone(local, 'kpi_data', requireLive(store, 'kpi_data', id, 'KPI entry'));
  });
}
