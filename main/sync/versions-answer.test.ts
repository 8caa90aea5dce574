// A push answer by versions (answer: 'versions') leaves the device's store exactly as the full
// answer would: two stores queue the same edits, one applies the server's full answer, the other
// the same answer as a server asked for versions builds it (server/sync/push-answer.ts), and the
// rows, versions, queue and conflicts of both are compared.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Conflict, PushResponse } from '../../shared/protocol/sync.js';
import { versionsAnswer } from '../../server/sync/push-answer.js';
import { writeLocal } from '../db/outbox.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { readLocalRow } from './local-rows.js';
import { nextBatch, pendingCount, type QueuedChange } from './outbox.js';
import { applyPushResponse } from './push.js';

const stores: TemporaryStore[] = [];
afterEach(() => stores.splice(0).forEach((store) => store.remove()));

const at = '2026-01-02T03:04:05.000Z';
const ids = {
  asPushed: randomUUID(),
  merged: randomUUID(),
  editedMeanwhile: randomUUID(),
  lost: randomUUID(),
  gone: randomUUID(),
};
const formId = randomUUID();

const writeField = (store: TemporaryStore, id: string, label: string) =>
  writeLocal(
    store,
    'fields',
    { id, updated_at: at, form_id: formId, label, type: 'choice', options: { choices: ['a', 'b'], min: 1 } },
    'UPDATE',
  );

/**
 * The server's full answer to `batch` (every row as held, version 20 + its place): the merged row
 * gets another label, the lost one keeps the server's label and comes with a server_wins conflict.
 */
function fullAnswer(batch: QueuedChange[]): PushResponse {
  const rows = batch.map(({ row }, place) => {
    const held: Record<string, unknown> = { ...row, server_version: 20 + place, written_by: 'mac-001' };
    delete held.base_version;
    if (row.id === ids.merged) held.label = 'Clean? (merged by the server)';
    if (row.id === ids.lost) held.label = 'The server’s label';
    return held as { id: string; server_version: number; change_id: string };
  });
  const lost = rows.find((row) => row.id === ids.lost)!;
  const conflict: Conflict = {
    table: 'fields',
    record_id: ids.lost,
    client_data: batch.find((queued) => queued.row.id === ids.lost)!.row,
    server_data: lost,
    resolution: 'server_wins',
    rule: 'manager_wins',
    change_id: lost.change_id,
  };
  return { success: true, timestamp: at, applied: { fields: rows }, conflicts: [conflict] };
}

/** A store with five queued edits, the batch taken, then one edited again and one gone meanwhile. */
function storeWithPushOnTheWire() {
  const store = openTemporaryStore();
  stores.push(store);
  for (const [name, id] of Object.entries(ids)) writeField(store, id, `Clean? (${name})`);
  const batch = nextBatch(store, 500);
  // While the push is on the wire: a new edit of one record (invariant 4), and another's local
  // row removed (the version alone has nowhere to go: the row as pushed is adopted whole).
  writeField(store, ids.editedMeanwhile, 'Clean, really?');
  store.sqlite.prepare('DELETE FROM fields WHERE id = ?').run(ids.gone);
  return { store, batch };
}

const stateOf = (store: TemporaryStore) => ({
  rows: Object.fromEntries(Object.values(ids).map((id) => [id, readLocalRow(store, 'fields', id)])),
  pending: pendingCount(store),
  conflicts: store.sqlite
    .prepare(
      "SELECT table_name, record_id, resolution, status, json_extract(server_data, '$.label') AS server_label FROM conflicts",
    )
    .all(),
});

describe('a push answer by versions', () => {
  it('leaves rows, versions, queue and conflicts as the full answer does', () => {
    const full = storeWithPushOnTheWire();
    const slim = storeWithPushOnTheWire();
    const fullOutcome = applyPushResponse(full.store, full.batch, fullAnswer(full.batch));

    const answer = fullAnswer(slim.batch);
    const sent = { fields: slim.batch.map((queued) => queued.row) };
    const slimAnswer = { ...answer, ...versionsAnswer(answer.applied, sent) };
    // What makes it worth asking: only the rows the server changed come whole.
    expect(slimAnswer.applied.fields?.map((row) => row.id).sort()).toEqual([ids.lost, ids.merged].sort());
    expect(slimAnswer.stored_as_pushed?.fields).toHaveLength(3);
    const slimOutcome = applyPushResponse(slim.store, slim.batch, slimAnswer);

    expect(slimOutcome).toEqual(fullOutcome);
    const state = stateOf(slim.store);
    expect(state).toEqual(stateOf(full.store));
    // And what that state is: versions taken, the merge and the winner adopted, the edit made
    // meanwhile kept and still queued, the conflict recorded, the removed row back as pushed.
    expect(state.rows[ids.asPushed]).toMatchObject({ label: 'Clean? (asPushed)', server_version: 20 });
    expect(state.rows[ids.merged]).toMatchObject({ label: 'Clean? (merged by the server)', server_version: 21 });
    expect(state.rows[ids.editedMeanwhile]).toMatchObject({ label: 'Clean, really?', server_version: null });
    expect(state.rows[ids.lost]).toMatchObject({ label: 'The server’s label', server_version: 23 });
    expect(state.rows[ids.gone]).toMatchObject({ label: 'Clean? (gone)', server_version: 24 });
    expect(state.pending).toBe(1);
    expect(state.conflicts).toEqual([expect.objectContaining({ record_id: ids.lost, resolution: 'server_wins' })]);
  });

  it('takes a version only for a change of the batch it answers', () => {
    const { store, batch } = storeWithPushOnTheWire();
    const answer = fullAnswer(batch);
    const versions = versionsAnswer(answer.applied, { fields: batch.map((queued) => queued.row) });
    const foreign = versions.stored_as_pushed.fields!.map((entry) => ({ ...entry, change_id: randomUUID() }));
    applyPushResponse(store, batch, { ...answer, applied: {}, conflicts: [], stored_as_pushed: { fields: foreign } });
    expect(readLocalRow(store, 'fields', ids.gone)).toBeUndefined();
    expect(readLocalRow(store, 'fields', ids.asPushed)?.server_version).toBeNull();
  });
});
