// The IPC door and its handlers, driven through the app core exactly as both hosts drive it, on
// a real SQLite file in a temp folder (and, for first-run setup, a real server on PostgreSQL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IpcEventPayload, IpcResult } from '../../shared/ipc.js';
import { startTestServer, type TestServer } from '../../server/testing/test-server.js';
import { createAppCore, type AppCore } from '../app-core.js';

let folder: string;
let core: AppCore;

async function openCore(options: { checkSender?: (sender: unknown) => string | null } = {}) {
  folder = mkdtempSync(join(tmpdir(), 'insight-ipc-'));
  core = await createAppCore({ dataDir: folder, ...options });
  return core;
}

afterEach(async () => {
  await core?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const count = (table: string) =>
  (core.store.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

function expectRefused(result: IpcResult<unknown>, ...phrases: string[]) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  for (const phrase of phrases) expect(result.error).toContain(phrase);
}

describe('the IPC door', () => {
  it('refuses payloads that do not fit the contract, says why, and writes nothing', async () => {
    await openCore();
    const changed: unknown[] = [];
    core.on('data:changed', (payload) => changed.push(payload));

    expectRefused(
      await core.invoke('kpis:create', { metric: '', value: 'lots' }),
      'metric: Name the metric',
      'value: The value must be a number',
    );
    expectRefused(
      await core.invoke('forms:save', {
        form: { title: '  ' },
        sections: [],
        fields: [{ label: '', type: 'colour', required: 'yes', position: 0, section_index: null }],
      }),
      'form.title: A form needs a title',
      'fields.0.type',
      'fields.0.required',
    );
    expectRefused(await core.invoke('team:save', { role: 'cashier' }), 'name');
    expectRefused(await core.invoke('forms:list', { where: '1=1; DROP TABLE forms' }), 'where');
    expectRefused(await core.invoke('forms:get', { id: 'not-a-uuid' }), 'id');
    expectRefused(await core.invoke('forms:drop-all', {}), 'Unknown channel "forms:drop-all"');
    expectRefused(await core.invoke('__proto__', {}), 'Unknown channel "__proto__"');
    expectRefused(await core.invoke('toString', {}), 'Unknown channel "toString"');
    expectRefused(await core.invoke(42, {}), 'Unknown channel 42');
    expectRefused(await core.invoke('conflicts:resolve', { id: 1, action: 'shrug' }), 'action');

    for (const table of ['pending_changes', 'forms', 'fields', 'kpi_data', 'team']) expect(count(table)).toBe(0);
    expect(changed).toEqual([]);
  });

  it('answers a well-formed request for a record that is not there with a plain message', async () => {
    await openCore();
    const result = await core.invoke('forms:get', { id: '3f1c9a52-8f4e-4c4b-9a51-2f1e1f0b7d10' });
    expectRefused(result, 'was not found');
    // The engine's bookkeeping messages pass as they are, not as a failed channel.
    expect(await core.invoke('sync:discard-change', { id: 12 })).toEqual({
      ok: false,
      error: 'There is no pending change 12',
    });
    expect(await core.invoke('conflicts:resolve', { id: 7, action: 'accept' })).toEqual({
      ok: false,
      error: 'There is no conflict 7',
    });
  });

  it('queues a pending change for each write and tells the UI which tables changed', async () => {
    await openCore();
    const changed: IpcEventPayload<'data:changed'>[] = [];
    const statuses: IpcEventPayload<'sync:status'>[] = [];
    core.on('data:changed', (payload) => changed.push(payload));
    core.on('sync:status', (payload) => statuses.push(payload));

    const kpi = await core.invoke('kpis:create', {
      metric: 'Sales',
      value: 1250.5,
      store_id: 'store-001',
      period: '2026-11',
      target: 1000,
    });
    expect(kpi).toMatchObject({ ok: true, value: { metric: 'Sales', value: 1250.5, store_id: 'store-001' } });
    expect(changed).toEqual([{ tables: ['kpi_data'] }]);

    const pending = await core.invoke('sync:pending', {});
    expect(pending).toMatchObject({
      ok: true,
      value: [{ table: 'kpi_data', operation: 'INSERT', needs_attention: false }],
    });
    const status = await core.invoke('sync:status', {});
    expect(status).toMatchObject({ ok: true, value: { state: 'not_configured', pending_count: 1 } });
    expect(statuses.at(-1)?.pending_count).toBe(1);

    const saved = await core.invoke('forms:save', {
      form: { title: 'Opening checklist' },
      sections: [{ title: 'Front', position: 0 }],
      fields: [{ section_index: 0, label: 'Doors unlocked', type: 'boolean', required: true, position: 0 }],
    });
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const form = (saved.value as { form: { id: string } }).form;
    expect(changed.at(-1)?.tables.sort()).toEqual(['fields', 'form_sections', 'forms']);
    expect(await core.invoke('forms:set-status', { id: form.id, status: 'published' })).toMatchObject({
      ok: true,
      value: { id: form.id, status: 'published' },
    });
    expect(await core.invoke('forms:list', {})).toMatchObject({
      ok: true,
      value: [{ id: form.id, field_count: 1, section_count: 1 }],
    });
    // kpi + form + section + field + status change
    expect(count('pending_changes')).toBe(5);
  });

  it('reports a write once in sync:status, whether or not the engine runs', async () => {
    await openCore();
    const statuses: IpcEventPayload<'sync:status'>[] = [];
    core.on('sync:status', (payload) => statuses.push(payload));
    await core.invoke('kpis:create', { metric: 'Sales', value: 1 });
    expect(statuses.map((status) => status.pending_count)).toEqual([1]);

    await core.start();
    statuses.length = 0;
    await core.invoke('kpis:create', { metric: 'Sales', value: 2 });
    expect(statuses.map((status) => status.pending_count)).toEqual([2]);
  });

  it('refuses every request when the sender check says no', async () => {
    await openCore({
      checkSender: (sender) => (sender === 'app://insight/index.html' ? null : `not our page: ${String(sender)}`),
    });
    expectRefused(
      await core.invoke('kpis:create', { metric: 'Sales', value: 1 }, 'https://evil.example/'),
      'Refused: not our page',
    );
    expect(count('kpi_data')).toBe(0);
    expect(await core.invoke('kpis:create', { metric: 'Sales', value: 1 }, 'app://insight/index.html')).toMatchObject({
      ok: true,
    });
    // The host's own menu is no renderer: it has no sender to check.
    expect(await core.invokeFromHost('sync:status', {})).toMatchObject({ ok: true });
  });
});

describe('first-run setup (config:connect) against a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('reports a wrong address or a wrong token clearly and saves nothing; the right one connects', async () => {
    await openCore();
    const token = await server.enroll('manager-mac-ipc', 'manager');

    expectRefused(
      await core.invoke('config:connect', { server_url: 'http://127.0.0.1:1', device_id: 'manager-mac-ipc', token }),
      'Cannot reach a server at http://127.0.0.1:1',
    );
    expectRefused(
      await core.invoke('config:connect', { server_url: server.url, device_id: 'manager-mac-ipc', token: 'isk_wrong' }),
      'does not accept this device token',
    );
    expect(await core.invoke('config:get', {})).toMatchObject({
      ok: true,
      value: { server_url: null, has_token: false },
    });

    // A store device's token is a valid token, but not for the Store Manager: refused, nothing saved.
    const storeToken = await server.enroll('store-ipc-001', 'store');
    expectRefused(
      await core.invoke('config:connect', { server_url: server.url, device_id: 'store-ipc-001', token: storeToken }),
      'This token belongs to a store device; the Store Manager needs a manager token',
    );
    expect(await core.invoke('config:get', {})).toMatchObject({
      ok: true,
      value: { server_url: null, has_token: false },
    });

    const connected = await core.invoke('config:connect', {
      server_url: server.url,
      device_id: 'manager-mac-ipc',
      token,
    });
    expect(connected).toMatchObject({
      ok: true,
      value: { server_url: server.url, device_id: 'manager-mac-ipc', has_token: true, role: 'manager' },
    });
    expect(JSON.stringify(connected)).not.toContain(token);
  });
});
