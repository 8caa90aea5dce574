// Applying a push answer on the device, without a server: a row stored exactly as pushed only
// takes its server_version; a row the server changed is adopted whole; neither path overwrites
// an edit queued while the push was on the wire (invariant 4) or moves a version back (11).
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushResponse } from '../../shared/protocol/sync.js';
import { writeLocal } from '../db/outbox.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { readLocalRow } from './local-rows.js';
import { nextBatch, pendingCount, type QueuedChange } from './outbox.js';
import { applyPushResponse } from './push.js';
import { storedAsPushed } from './pushed-rows.js';

let store: TemporaryStore;
beforeEach(() => {
  store = openTemporaryStore();
});
afterEach(() => store.remove());

const at = '2026-01-02T03:04:05.000Z';

function writeField(id: string, label: string) {
  return writeLocal(
    store,
    'fields',
    { id, updated_at: at, form_id: randomUUID(), label, type: 'choice', options: { choices: ['a', 'b'], min: 1 } },
    'UPDATE',
  );
}

/** The server's answer: every pushed row as stored (`change` may alter it), with a version. */
function answer(batch: QueuedChange[], version: number, change: (row: Record<string, unknown>) => void = () => {}) {
  const rows = batch.map(({ row }) => {
    const stored: Record<string, unknown> = { ...row, server_version: version, written_by: 'store-001' };
    delete stored.base_version;
    change(stored);
    return stored as { id: string; server_version: number };
  });
  return { success: true, timestamp: at, applied: { fields: rows }, conflicts: [] } satisfies PushResponse;
}

describe('a push answer', () => {
  it('gives a row stored as pushed its server version, and the change leaves the queue', () => {
    const id = randomUUID();
    const written = writeField(id, 'Clean?');
    const batch = nextBatch(store, 500);
    const outcome = applyPushResponse(store, batch, answer(batch, 7));
    expect(outcome).toMatchObject({ pushed: 1, changedTables: ['fields'] });
    expect(pendingCount(store)).toBe(0);
    expect(readLocalRow(store, 'fields', id)).toEqual({ ...written, server_version: 7 });
  });

  it('adopts a row the server changed (a merge, a normalised value) whole', () => {
    const id = randomUUID();
    writeField(id, 'Clean?');
    const batch = nextBatch(store, 500);
    applyPushResponse(
      store,
      batch,
      answer(batch, 8, (row) => {
        row.label = 'Clean? (merged)';
        row.options = { choices: ['a', 'b', 'c'], min: 1 };
      }),
    );
    expect(readLocalRow(store, 'fields', id)).toMatchObject({
      label: 'Clean? (merged)',
      options: { choices: ['a', 'b', 'c'], min: 1 },
      server_version: 8,
    });
  });

  it('leaves an edit made while the push was on the wire, values and version (invariant 4)', () => {
    const id = randomUUID();
    writeField(id, 'Clean?');
    const batch = nextBatch(store, 500);
    const later = writeField(id, 'Clean, really?');
    applyPushResponse(store, batch, answer(batch, 9));
    expect(readLocalRow(store, 'fields', id)).toEqual({ ...later, server_version: null });
    expect(pendingCount(store)).toBe(1);
  });

  it('never moves a version back (invariant 11)', () => {
    const id = randomUUID();
    writeField(id, 'Clean?');
    store.sqlite.prepare('UPDATE fields SET server_version = 12 WHERE id = ?').run(id);
    const batch = nextBatch(store, 500);
    expect(batch[0]!.row.base_version).toBe(12);
    applyPushResponse(store, batch, answer(batch, 10));
    expect(readLocalRow(store, 'fields', id)?.server_version).toBe(12);
    expect(pendingCount(store)).toBe(0);
  });
});

describe('storedAsPushed', () => {
  const pushed = { id: 'f1', label: 'x', options: { a: [1, 2] }, position: 0, deleted_at: null };
  it('compares JSON values by content and null with absent', () => {
    expect(storedAsPushed('fields', { ...pushed, options: { a: [1, 2] }, server_version: 3 }, pushed)).toBe(true);
    expect(storedAsPushed('fields', { ...pushed, deleted_at: undefined, server_version: 3 }, pushed)).toBe(true);
    expect(storedAsPushed('fields', { ...pushed, options: { a: [1] }, server_version: 3 }, pushed)).toBe(false);
    expect(storedAsPushed('fields', { ...pushed, position: '0', server_version: 3 }, pushed)).toBe(false);
  });
  it('asks for a whole server version', () => {
    expect(storedAsPushed('fields', { ...pushed, server_version: 3.5 }, pushed)).toBe(false);
    expect(storedAsPushed('fields', { ...pushed, server_version: '3' }, pushed)).toBe(false);
  });
});
