// The channels of the Submissions data view and of template management (issue 11), driven through
// the app core's IPC door as both hosts drive it, on a real SQLite file: good requests answered
// from SQL, bad ones refused with the user's words and nothing written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IpcChannel, IpcReply, IpcRequest, IpcResult } from '../../shared/ipc.js';
import { createAppCore, type AppCore } from '../app-core.js';
import { startSubmission } from '../repos/submissions.js';

let folder: string;
let core: AppCore;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'insight-ipc-views-'));
  core = await createAppCore({ dataDir: folder });
});
afterEach(async () => {
  await core.stop();
  rmSync(folder, { recursive: true, force: true });
});

const pending = () => (core.store.sqlite.prepare('SELECT count(*) AS n FROM pending_changes').get() as { n: number }).n;

async function ok<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcReply<C>> {
  const result = (await core.invoke(channel, request)) as IpcResult<IpcReply<C>>;
  if (!result.ok) throw new Error(`${channel} refused: ${result.error}`);
  return result.value;
}

describe('the submissions data view over IPC', () => {
  it('searches, sorts and counts with the same filters, and refuses a bad sort or search with a message', async () => {
    const { form } = await ok('forms:save', {
      form: { title: 'Opening', status: 'published' },
      sections: [],
      fields: [],
    });
    for (const [store_id, submitted_by] of [
      ['north-01', 'Ana'],
      ['south-02', 'Ben'],
      ['north-03', 'Cy'],
    ] as const) {
      startSubmission(core.store, { form_id: form.id, store_id, submitted_by });
    }
    const found = await ok('submissions:list', { search: 'NORTH', sort: 'store', direction: 'desc' });
    expect(found.total).toBe(2);
    expect(found.rows.map((r) => r.store_id)).toEqual(['north-03', 'north-01']);
    const counts = await ok('submissions:completion-counts', { search: 'north' });
    expect(counts.map((c) => [c.store_id, c.in_progress])).toEqual([
      ['north-01', 1],
      ['north-03', 1],
    ]);

    const before = pending();
    const badSort = await core.invoke('submissions:list', { sort: 'id; DROP TABLE submissions' });
    expect(badSort.ok).toBe(false);
    if (!badSort.ok) expect(badSort.error).toContain('sort');
    const longSearch = await core.invoke('submissions:completion-counts', { search: 'x'.repeat(201) });
    expect(longSearch).toMatchObject({ ok: false, error: expect.stringContaining('at most 200 characters') });
    const extra = await core.invoke('submissions:completion-counts', { offset: 5 });
    expect(extra.ok).toBe(false);
    expect(pending()).toBe(before);
    expect((await ok('submissions:list', {})).total).toBe(3);
  });
});

describe('templates over IPC', () => {
  it('renames and deletes a template; an empty name is refused and changes nothing', async () => {
    const { form } = await ok('forms:save', { form: { title: 'Opening' }, sections: [], fields: [] });
    const template = await ok('forms:save-as-template', { form_id: form.id, name: 'Opening' });
    const before = pending();
    expect(await core.invoke('templates:rename', { id: template.id, name: '  ' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('Name the template'),
    });
    expect(pending()).toBe(before);
    expect((await ok('templates:rename', { id: template.id, name: 'Mornings' })).name).toBe('Mornings');
    expect((await ok('templates:list', {})).map((t) => t.name)).toEqual(['Mornings']);
    expect(await ok('templates:delete', { id: template.id })).toEqual({ ok: true });
    expect(await ok('templates:list', {})).toEqual([]);
    expect(await core.invoke('templates:delete', { id: template.id })).toMatchObject({
      ok: false,
      error: expect.stringContaining('was not found'),
    });
  });
});
