// Seed testing list 1 and 2 (full sync from scratch, delta sync), plus selective sync and
// tombstones, against the real server on a real PostgreSQL with real SQLite files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/ipc.js';
import { createKpi, deleteForm, saveForm, setFormStatus, setSetting } from '../repos/index.js';
import { checkConnection } from './config.js';
import { useServerWithDevices } from './testing/devices.js';

const world = useServerWithDevices();
const device = world.device;

const draft = (title: string) => ({
  form: { title, status: 'published' as const },
  sections: [{ title: 'Opening', position: 0 }],
  fields: [
    { section_index: 0, label: 'Doors open on time', type: 'boolean' as const, required: true, position: 0 },
    { section_index: 0, label: 'Notes', type: 'text' as const, required: false, position: 1 },
  ],
});

describe('full sync from scratch', () => {
  it('brings a new store device every row it reads, parents first, and reports progress', async () => {
    const manager = await device(world.server, 'full-manager', 'manager');
    const form = saveForm(manager.store, draft('Opening checklist'));
    setSetting(manager.store, 'store_hours', { open: '08:00' });
    for (let i = 0; i < 30; i += 1) createKpi(manager.store, { metric: 'sales', value: i, store_id: 'S1' });
    await manager.engine.syncNow();
    expect(manager.engine.lastRun?.ok).toBe(true);
    expect(manager.engine.status().pending_count).toBe(0);

    const store = await device(world.server, 'full-store', 'store', { pageSize: 10 });
    const statuses: SyncStatus[] = [];
    store.engine.on('status', (s) => statuses.push(s));
    const changed: string[] = [];
    store.engine.on('data-changed', (tables) => changed.push(...tables));
    await store.engine.syncNow();

    expect(store.engine.lastRun?.ok).toBe(true);
    expect([...store.rows('forms').keys()]).toEqual([form.form.id]);
    expect(store.rows('fields').size).toBe(2);
    expect(store.rows('form_sections').size).toBe(1);
    expect(store.rows('kpi_data').size).toBe(30);
    // Selective sync: a store device does not pull manager-only tables.
    expect(store.rows('settings').size).toBe(0);
    expect(manager.rows('settings').size).toBe(1);
    // Progress: pages of 10 rows counted up to the total the server announced.
    const pulling = statuses.filter((s) => s.state === 'pulling' && s.progress && s.progress.total > 0);
    expect(pulling.length).toBeGreaterThanOrEqual(4);
    expect(pulling.at(-1)!.progress).toMatchObject({ phase: 'pull', done: 34, total: 34 });
    expect(statuses.at(-1)).toMatchObject({ state: 'idle', online: true, pending_count: 0, attempt: 0 });
    expect(changed).toEqual(expect.arrayContaining(['forms', 'fields', 'kpi_data']));
    // Local rows equal the server's (convergence for the tables the device syncs).
    const serverForm = (await world.serverDb.rows('forms')).get(form.form.id)!;
    expect(store.rows('forms').get(form.form.id)).toMatchObject({ title: serverForm.title, status: 'published' });
    // Logged to the file in the data folder.
    const log = readFileSync(store.logFile, 'utf8');
    expect(log).toContain('sync started');
    expect(log).toContain('received 34 changes');
  });
});

describe('delta sync', () => {
  it('pulls only what changed since the last pull, including tombstones, and never echoes own pushes as new', async () => {
    const manager = await device(world.server, 'delta-manager', 'manager');
    const store = await device(world.server, 'delta-store', 'store');
    const kept = saveForm(manager.store, draft('Kept'));
    const removed = saveForm(manager.store, draft('Removed'));
    await manager.engine.syncNow();
    await store.engine.syncNow();
    expect(store.rows('forms').has(removed.form.id)).toBe(true);

    setFormStatus(manager.store, kept.form.id, 'archived');
    deleteForm(manager.store, removed.form.id);
    await manager.engine.syncNow();
    // The manager's own changes were not sent back to it as new rows.
    expect(manager.engine.lastRun?.pulled?.received).toBe(0);

    await store.engine.syncNow();
    const pulled = store.engine.lastRun!.pulled!;
    // Only the two changed forms (and the removed form's tombstoned children), not the whole data set.
    expect(pulled.perTable.forms).toBe(2);
    expect(pulled.received).toBeLessThan(store.rows('forms').size + store.rows('fields').size);
    expect(store.rows('forms').get(kept.form.id)).toMatchObject({ status: 'archived' });
    expect(store.rows('forms').get(removed.form.id)?.deleted_at).not.toBeNull();

    // Nothing new: an empty delta.
    await store.engine.syncNow();
    expect(store.engine.lastRun?.pulled?.received).toBe(0);
  });
});

describe('connection check', () => {
  it('tells a wrong address, a wrong token and another device apart, and finds the role', async () => {
    const token = await world.server.enroll('check-store', 'store');
    const managerToken = await world.server.enroll('check-manager', 'manager');
    expect(await checkConnection({ server_url: world.server.url, device_id: 'check-store', token })).toEqual({
      ok: true,
      role: 'store',
    });
    expect(
      await checkConnection({ server_url: world.server.url, device_id: 'check-manager', token: managerToken }),
    ).toEqual({
      ok: true,
      role: 'manager',
    });
    const wrongToken = await checkConnection({ server_url: world.server.url, device_id: 'check-store', token: 'nope' });
    expect(wrongToken).toMatchObject({
      ok: false,
      error: expect.stringContaining('does not accept this device token'),
    });
    const otherDevice = await checkConnection({ server_url: world.server.url, device_id: 'check-manager', token });
    expect(otherDevice.ok).toBe(false);
    const unreachable = await checkConnection({ server_url: 'http://127.0.0.1:9', device_id: 'check-store', token });
    expect(unreachable).toMatchObject({ ok: false, error: expect.stringContaining('Cannot reach a server') });
    const notAUrl = await checkConnection({ server_url: 'nas.local', device_id: 'check-store', token });
    expect(notAUrl).toMatchObject({ ok: false, error: expect.stringContaining('not a server address') });
  });
});
