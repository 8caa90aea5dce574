// Seed testing list 6 and 7: a large data set (10k records, not 100) synced from scratch with
// progress events, and concurrent device syncs (several engines at once) that all converge on
// the server's tables.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/ipc.js';
import { columnsOf, tablesReadableBy, type TableName } from '../../shared/tables.js';
import { localTransaction } from '../db/outbox.js';
import { answerField, completeSubmission, createKpi, saveForm, startSubmission } from '../repos/index.js';
import { startTestServer } from '../../server/testing/test-server.js';
import { readLocalRow } from './local-rows.js';
import { ServerDb, useServerWithDevices, type TestDevice } from './testing/devices.js';

const world = useServerWithDevices();
const device = world.device;

const normalise = (value: unknown) => (value instanceof Date ? value.toISOString() : (value ?? null));

/** Every row of the table the device holds equals the server's, column by column, at the same version. */
async function expectSameAsServer(d: TestDevice, table: TableName) {
  const serverRows = await world.serverDb.rows(table);
  const local = d.rows(table);
  expect([d.id, table, local.size]).toEqual([d.id, table, serverRows.size]);
  for (const [id, row] of local) {
    const serverRow = serverRows.get(id);
    expect(serverRow, `${d.id} ${table} ${id}`).toBeDefined();
    const wire = (source: Record<string, unknown>) =>
      Object.fromEntries(columnsOf(table).map((column) => [column, normalise(source[column])]));
    expect(wire(row), `${d.id} ${table} ${id}`).toEqual(wire(serverRow!));
    expect(readLocalRow(d.store, table, id)!.server_version, `${d.id} ${table} ${id} version`).toBe(
      Number(serverRow!.server_version),
    );
  }
}

describe('large data set', () => {
  it('syncs 10k records from scratch in pages, with progress up to the total', async () => {
    const manager = await device(world.server, 'large-manager', 'manager', { batchSize: 2000 });
    const at = new Date().toISOString();
    localTransaction(manager.store, (local) => {
      for (let i = 0; i < 10_000; i += 1) {
        local.write(
          'kpi_data',
          { id: randomUUID(), metric: 'sales', value: i, store_id: `S${i % 20}`, period: '2026-11', updated_at: at },
          'INSERT',
        );
      }
    });
    expect(manager.engine.status().pending_count).toBe(10_000);
    await manager.engine.syncNow();
    expect(manager.engine.lastRun, manager.engine.lastRun?.error ?? undefined).toMatchObject({
      ok: true,
      pushed: { pushed: 10_000, refused: 0 },
    });

    // Pages of 1000 (the engine asks for 5000 by default): progress is reported page by page.
    const store = await device(world.server, 'large-store', 'store', { pageSize: 1000 });
    const progress: NonNullable<SyncStatus['progress']>[] = [];
    store.engine.on(
      'status',
      (s) => s.state === 'pulling' && s.progress && s.progress.total > 0 && progress.push(s.progress),
    );
    await store.engine.syncNow();
    expect(store.engine.lastRun?.ok).toBe(true);
    expect(store.rows('kpi_data').size).toBe(10_000);
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress.at(-1)).toMatchObject({ done: 10_000, total: 10_000 });
    expect(progress.every((p, i) => i === 0 || p.done >= progress[i - 1]!.done)).toBe(true);
    await expectSameAsServer(store, 'kpi_data');
  });
});

describe('concurrent device syncs', () => {
  // A server of its own: the 10k rows above would only make every device's first pull longer.
  beforeAll(async () => {
    await world.serverDb.close();
    await world.server.dispose();
    world.server = await startTestServer({ logLevel: process.env.SERVER_LOG ?? 'silent' });
    world.serverDb = new ServerDb(world.server.databaseUrl);
  });

  it('lets several devices edit and sync at the same time, and all converge on the server', async () => {
    const manager = await device(world.server, 'conc-manager', 'manager');
    const form = saveForm(manager.store, {
      form: { title: 'Shift report', status: 'published' },
      sections: [],
      fields: [{ section_index: null, label: 'Customers', type: 'number', required: true, position: 0 }],
    });
    await manager.engine.syncNow();
    const stores = await Promise.all(
      [1, 2, 3, 4].map((n) => device(world.server, `conc-store-${n}`, 'store', { batchSize: 7 })),
    );
    await Promise.all(stores.map((s) => s.engine.syncNow()));

    // Everyone works at once: submissions and KPIs on the stores, KPIs on the manager.
    stores.forEach((s, n) => {
      for (let i = 0; i < 10; i += 1) {
        const submission = startSubmission(s.store, { form_id: form.form.id, store_id: `S${n}` });
        answerField(s.store, { submission_id: submission.id, field_id: form.fields[0]!.id, value: i });
        completeSubmission(s.store, submission.id);
        createKpi(s.store, { metric: 'footfall', value: i, store_id: `S${n}` });
      }
    });
    for (let i = 0; i < 20; i += 1) createKpi(manager.store, { metric: 'target', value: i });
    const everyone = [manager, ...stores];
    await Promise.all(everyone.map((d) => d.engine.syncNow()));
    expect(everyone.every((d) => d.engine.lastRun?.ok)).toBe(true);
    // A second round with nothing new: every device now holds what the server holds.
    await Promise.all(everyone.map((d) => d.engine.syncNow()));
    for (const d of everyone) {
      expect(d.engine.status().pending_count).toBe(0);
      for (const table of tablesReadableBy(d.role)) await expectSameAsServer(d, table);
    }
    expect(
      (
        await world.serverDb.query<{ n: number }>(
          "select count(*)::int as n from submissions where status = 'completed'",
        )
      )[0]!.n,
    ).toBe(40);
  });
});
