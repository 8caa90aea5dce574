// Stores as records, synced: a store the manager adds reaches a store device's local SQLite (where
// its pickers and the CLI read it); an edit and a deactivation follow; a store device cannot write
// a store (the server refuses it, the device sets it aside with the reason); and a second manager
// adding a code already taken is told so on its refused change. Real server, real SQLite files.
import { describe, expect, it } from 'vitest';
import { writeLocal } from '../db/outbox.js';
import { findStoreByCode, listStores, requireStoreCode, saveStore } from '../repos/index.js';
import { useServerWithDevices } from './testing/devices.js';

const world = useServerWithDevices();
const device = world.device;

describe('stores', () => {
  it('reach a store device when the manager adds them, and follow its edits and deactivation', async () => {
    const manager = await device(world.server, 'stores-manager', 'manager');
    const shop = await device(world.server, 'stores-iphone', 'store');
    const downtown = saveStore(manager.store, { code: 'S001', name: 'Downtown', region: 'Centre' });
    saveStore(manager.store, { code: 'S002', name: 'Harbour' });
    await manager.engine.syncNow();
    expect(manager.engine.lastRun).toMatchObject({ ok: true, pushed: { pushed: 2, refused: 0 } });
    expect((await world.serverDb.rows('stores')).get(downtown.id)).toMatchObject({ code: 'S001', name: 'Downtown' });

    await shop.engine.syncNow();
    expect(shop.engine.lastRun?.ok).toBe(true);
    expect(listStores(shop.store).map((s) => [s.code, s.name, s.region, s.active])).toEqual([
      ['S001', 'Downtown', 'Centre', true],
      ['S002', 'Harbour', null, true],
    ]);
    // What the CLI's --store check reads.
    expect(requireStoreCode(shop.store, 'S002')).toBe('S002');

    saveStore(manager.store, { ...downtown, name: 'Downtown Central' });
    const harbour = findStoreByCode(manager.store, 'S002')!;
    saveStore(manager.store, { ...harbour, active: false });
    await manager.engine.syncNow();
    await shop.engine.syncNow();
    expect(shop.engine.lastRun?.pulled?.received).toBe(2);
    expect(listStores(shop.store).map((s) => [s.code, s.name, s.active])).toEqual([
      ['S001', 'Downtown Central', true],
      ['S002', 'Harbour', false],
    ]);
  });

  it('are written by managers only: a store device’s store row is refused and set aside with the reason', async () => {
    const shop = await device(world.server, 'stores-rogue', 'store');
    const id = crypto.randomUUID();
    writeLocal(
      shop.store,
      'stores',
      { id, code: 'S666', name: 'Mine', updated_at: new Date().toISOString() },
      'INSERT',
    );
    await shop.engine.syncNow();
    const [refused] = shop.engine.listPendingChanges({ needsAttentionOnly: true });
    expect(refused).toMatchObject({ table: 'stores', record_id: id, needs_attention: true });
    expect(refused!.last_error).toContain('stores');
    expect((await world.serverDb.rows('stores')).has(id)).toBe(false);
  });

  it('keep one live store per code: a second manager adding a taken code gets its change refused with why', async () => {
    const first = await device(world.server, 'stores-mac-1', 'manager');
    const second = await device(world.server, 'stores-mac-2', 'manager');
    // Both add S004 while neither has the other's.
    const kept = saveStore(first.store, { code: 'S004', name: 'Airport' });
    const late = saveStore(second.store, { code: 'S004', name: 'Airport too' });
    await first.engine.syncNow();
    await second.engine.syncNow();
    expect(second.engine.lastRun?.pushed).toMatchObject({ refused: 1 });
    const [refused] = second.engine.listPendingChanges({ needsAttentionOnly: true });
    expect(refused).toMatchObject({ table: 'stores', record_id: late.id });
    expect(refused!.last_error).toContain(`code S004 is already used by stores ${kept.id}`);
    const onServer = [...(await world.serverDb.rows('stores')).values()].filter((s) => s.code === 'S004');
    expect(onServer.map((s) => s.name)).toEqual(['Airport']);
  });
});
