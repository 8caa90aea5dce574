// The stores channels through the IPC door, as both hosts drive it, on a real SQLite file: a store
// saved and listed, the UI told (data:changed), and bad payloads refused with the field named,
// nothing written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IpcEventPayload, IpcResult } from '../../shared/ipc.js';
import { createAppCore, type AppCore } from '../app-core.js';

let folder: string;
let core: AppCore;
beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'insight-ipc-stores-'));
  core = await createAppCore({ dataDir: folder });
});
afterEach(async () => {
  await core.stop();
  rmSync(folder, { recursive: true, force: true });
});

const value = <T>(result: IpcResult<unknown>): T => {
  if (!result.ok) throw new Error(result.error);
  return result.value as T;
};
const storeRows = () => (core.store.sqlite.prepare('SELECT count(*) AS n FROM stores').get() as { n: number }).n;

describe('stores over IPC', () => {
  it('saves a store, lists it, deactivates it, and tells the UI each time', async () => {
    const changed: IpcEventPayload<'data:changed'>[] = [];
    core.on('data:changed', (payload) => changed.push(payload));
    const saved = value<{ id: string; code: string; active: boolean }>(
      await core.invoke('stores:save', { code: 'S001', name: 'Downtown', region: 'Centre' }),
    );
    expect(saved).toMatchObject({ code: 'S001', active: true });
    value(await core.invoke('stores:save', { id: saved.id, code: 'S001', name: 'Downtown', active: false }));
    expect(value(await core.invoke('stores:list', {}))).toEqual([
      expect.objectContaining({ id: saved.id, code: 'S001', name: 'Downtown', region: null, active: false }),
    ]);
    expect(changed).toEqual([{ tables: ['stores'] }, { tables: ['stores'] }]);
  });

  it('refuses a malformed store or a taken code, says why, and writes nothing', async () => {
    value(await core.invoke('stores:save', { code: 'S001', name: 'Downtown' }));
    for (const [payload, message] of [
      [{ code: '', name: 'X' }, 'code: A store needs a code, e.g. S001'],
      [{ code: 'S 2', name: 'X' }, 'code: A store code may only hold letters, digits and . _ : - (e.g. S001)'],
      [{ code: 'S002' }, 'name'],
      [{ code: 'S002', name: 'X', colour: 'red' }, 'colour'],
      [{ code: 'S001', name: 'Again' }, 'The code S001 is already used by Downtown; choose another code'],
    ] as const) {
      const result = await core.invoke('stores:save', payload);
      expect(result.ok, JSON.stringify(payload)).toBe(false);
      if (!result.ok) expect(result.error).toContain(message);
    }
    expect(storeRows()).toBe(1);
  });
});
