import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeLocal } from '../db/outbox.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { InvalidEditError, NotFoundError } from './errors.js';
import { createKpi, deleteKpi, listKpis } from './kpis.js';
import { getSetting, listSettings, setSetting } from './settings.js';
import { deleteTeamMember, listTeam, saveTeamMember } from './team.js';

let store: TemporaryStore;
beforeEach(() => {
  store = openTemporaryStore();
});
afterEach(() => store.remove());
const pendingOps = () =>
  (
    store.sqlite.prepare('SELECT table_name, operation FROM pending_changes ORDER BY id').all() as Array<{
      table_name: string;
      operation: string;
    }>
  ).map((c) => `${c.table_name}:${c.operation}`);

describe('KPI entries', () => {
  it('records values and lists them by store and metric in period order', () => {
    createKpi(store, { metric: 'sales', value: 1200, store_id: 's1', period: '2026-02', target: 1000 });
    createKpi(store, { metric: 'sales', value: 900, store_id: 's1', period: '2026-01', target: 1000 });
    createKpi(store, { metric: 'sales', value: 50, store_id: 's2', period: '2026-01' });
    createKpi(store, { metric: 'footfall', value: 300, store_id: 's1', period: '2026-01' });
    expect(listKpis(store, { store_id: 's1', metric: 'sales' }).map((k) => [k.period, k.value, k.target])).toEqual([
      ['2026-01', 900, 1000],
      ['2026-02', 1200, 1000],
    ]);
    expect(listKpis(store, { metric: 'sales' })).toHaveLength(3);
    expect(listKpis(store)).toHaveLength(4);
    expect(pendingOps()).toEqual(Array(4).fill('kpi_data:INSERT'));
  });

  it('refuses a value that is not a number, and deletes as a tombstone', () => {
    expect(() => createKpi(store, { metric: 'sales', value: 'a lot' as never })).toThrow(/The value must be a number/);
    expect(() => createKpi(store, { metric: ' ', value: 1 })).toThrow(InvalidEditError);
    const kpi = createKpi(store, { metric: 'sales', value: 1 });
    deleteKpi(store, kpi.id);
    expect(listKpis(store)).toEqual([]);
    expect(() => deleteKpi(store, kpi.id)).toThrow(NotFoundError);
    expect(pendingOps()).toEqual(['kpi_data:INSERT', 'kpi_data:DELETE']);
  });
});

describe('team', () => {
  it('adds, updates only on change, lists by name and removes members', () => {
    const zoe = saveTeamMember(store, { name: 'Zoe', role: 'clerk', store_id: 's1' });
    const ann = saveTeamMember(store, { name: 'ann', email: 'ann@example.com' });
    expect(listTeam(store).map((m) => m.name)).toEqual(['ann', 'Zoe']);
    expect(zoe).toMatchObject({ active: true, role: 'clerk' });
    const moved = saveTeamMember(store, { ...zoe, store_id: 's2', active: false });
    expect(moved).toMatchObject({ id: zoe.id, store_id: 's2', active: false });
    saveTeamMember(store, { ...moved });
    deleteTeamMember(store, ann.id);
    expect(listTeam(store).map((m) => m.id)).toEqual([zoe.id]);
    expect(pendingOps()).toEqual(['team:INSERT', 'team:INSERT', 'team:UPDATE', 'team:DELETE']);
    expect(() => saveTeamMember(store, { id: ann.id, name: 'ann' })).toThrow(NotFoundError);
    expect(() => saveTeamMember(store, { name: '' })).toThrow(/A team member needs a name/);
    // An e-mail must look like one; nothing is written when it does not.
    expect(() => saveTeamMember(store, { name: 'Bo', email: 'bo at example' })).toThrow(/Enter an e-mail address/);
    expect(listTeam(store).map((m) => m.name)).toEqual(['Zoe']);
  });
});

describe('synced settings', () => {
  it('gets and sets JSON values by key, writing only changes', () => {
    expect(getSetting(store, 'opening_hours')).toBeNull();
    const first = setSetting(store, 'opening_hours', { mon: ['09:00', '18:00'] });
    expect(getSetting(store, 'opening_hours')).toEqual({ mon: ['09:00', '18:00'] });
    const second = setSetting(store, 'opening_hours', { mon: ['10:00', '18:00'] });
    expect(second.id).toBe(first.id);
    setSetting(store, 'opening_hours', { mon: ['10:00', '18:00'] });
    setSetting(store, 'currency', 'EUR');
    expect(listSettings(store).map((s) => [s.key, s.value])).toEqual([
      ['currency', 'EUR'],
      ['opening_hours', { mon: ['10:00', '18:00'] }],
    ]);
    expect(pendingOps()).toEqual(['settings:INSERT', 'settings:UPDATE', 'settings:INSERT']);
    expect(() => setSetting(store, '', 1)).toThrow(/A setting needs a key/);
  });

  it('reads the latest row when two managers created the same key offline', () => {
    const key = 'target_margin';
    writeLocal(
      store,
      'settings',
      { id: randomUUID(), key, value: 0.2, updated_at: '2026-01-01T00:00:00.000Z' },
      'INSERT',
    );
    const later = writeLocal(
      store,
      'settings',
      { id: randomUUID(), key, value: 0.3, updated_at: '2026-01-02T00:00:00.000Z' },
      'INSERT',
    );
    expect(getSetting(store, key)).toBe(0.3);
    expect(listSettings(store)).toEqual([later]);
    expect(setSetting(store, key, 0.4).id).toBe(later.id);
  });
});
