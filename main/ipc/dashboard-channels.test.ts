// Home's and the KPI overview's channels through the app core, as both hosts call them, on a
// real SQLite file: the door checks their requests, the answers come from SQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipcChannels, type IpcChannel, type IpcReply, type IpcRequest, type IpcResult } from '../../shared/ipc.js';
import { createAppCore, type AppCore } from '../app-core.js';

let folder: string;
let core: AppCore;
beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'insight-dashboard-ipc-'));
  core = await createAppCore({ dataDir: folder });
});
afterEach(async () => {
  await core.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** The channel's answer, read with its own reply schema (a drifted handler fails here). */
const call = async <C extends IpcChannel>(channel: C, payload: IpcRequest<C>): Promise<IpcReply<C>> => {
  const result = await core.invoke(channel, payload);
  if (!result.ok) throw new Error(result.error);
  return ipcChannels[channel].reply.parse(result.value) as IpcReply<C>;
};

describe('dashboard and KPI overview channels', () => {
  it('keeps one KPI value per store, metric and period, shows it in the overview and edits it in place', async () => {
    const sales = { metric: 'Sales', store_id: 'S1', period: '2026-11-02', target: 1000 };
    const first = await call('kpis:create', { ...sales, value: 900 });
    const again = await call('kpis:create', { ...sales, value: 950 });
    expect(again.id).toBe(first.id);
    expect(await call('kpis:overview', {})).toEqual([
      expect.objectContaining({ id: first.id, metric: 'Sales', store_id: 'S1', value: 950, target: 1000 }),
    ]);
    await call('kpis:update', { id: first.id, value: 1200, target: null });
    expect(await call('kpis:trend', { metric: 'Sales' })).toEqual([
      { store_id: 'S1', period: '2026-11-02', value: 1200, target: null },
    ]);
  });

  it('refuses requests that do not fit, saying why, and writes nothing', async () => {
    const refused = async (result: Promise<IpcResult<unknown>>, phrase: string) => {
      const answer = await result;
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.error).toContain(phrase);
    };
    await refused(core.invoke('kpis:create', { metric: 'Sales', value: 1e12 }), 'between');
    await refused(core.invoke('kpis:update', { id: 'not-an-id', value: 1, target: null }), 'id');
    await refused(
      core.invoke('dashboard:completion', { today: '2026-11-25', week_start: '2026-11-23', utc_offset_minutes: 5000 }),
      'utc_offset_minutes',
    );
    await refused(
      core.invoke('dashboard:completion', { today: '2026-11-25', week_start: '2026-11-01', utc_offset_minutes: 0 }),
      'within the 7 days',
    );
    expect(await call('kpis:overview', {})).toEqual([]);
  });
});
