import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidRowError,
  localTransaction,
  onLocalWrite,
  writeIfChanged,
  writeLocal,
  writeRowAndQueueChange,
  type LocalWrite,
} from './outbox.js';
import { fromSqliteRow, upsertSyncedRow } from './rows.js';
import { openTemporaryStore, type TemporaryStore } from './temporary-store.js';

let store: TemporaryStore;
beforeEach(() => {
  store = openTemporaryStore();
});
afterEach(() => store.remove());

const count = (table: string) => (store.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const pending = () =>
  store.sqlite.prepare('SELECT * FROM pending_changes ORDER BY id').all() as Array<Record<string, unknown>>;
const now = '2026-01-02T03:04:05.000Z';

describe('writeLocal', () => {
  it('writes the row and queues the whole validated wire row with a fresh change id', () => {
    const id = randomUUID();
    const row = writeLocal(
      store,
      'fields',
      {
        id,
        updated_at: now,
        form_id: randomUUID(),
        label: 'Clean?',
        type: 'boolean',
        required: true,
        options: { hint: ['a', 1] },
      },
      'INSERT',
    );
    expect(row).toMatchObject({
      id,
      required: true,
      options: { hint: ['a', 1] },
      deleted_at: null,
      position: 0,
      section_id: null,
    });

    const raw = store.sqlite.prepare('SELECT * FROM fields WHERE id = ?').get(id) as Record<string, unknown>;
    expect(raw.required).toBe(1);
    expect(raw.server_version).toBeNull();
    expect(fromSqliteRow('fields', raw)).toEqual(row);

    const [change] = pending();
    expect(change).toMatchObject({
      table_name: 'fields',
      record_id: id,
      operation: 'INSERT',
      attempts: 0,
      needs_attention: 0,
    });
    expect(JSON.parse(change!.data as string)).toEqual(row);
    expect(change!.change_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof change!.created_at).toBe('number');
  });

  it('leaves the server_version it holds untouched by a local edit', () => {
    const id = randomUUID();
    store.sqlite.transaction(() =>
      upsertSyncedRow(
        store.sqlite,
        'forms',
        { id, updated_at: now, deleted_at: null, title: 'A', description: null, status: 'draft' },
        { serverVersion: 42 },
      ),
    )();
    writeLocal(store, 'forms', { id, updated_at: now, title: 'B' }, 'UPDATE');
    expect(store.sqlite.prepare('SELECT title, server_version FROM forms WHERE id = ?').get(id)).toEqual({
      title: 'B',
      server_version: 42,
    });
  });

  it('refuses an invalid row with every problem named, and writes nothing', () => {
    const bad = () =>
      writeLocal(store, 'kpi_data', { id: 'nope', updated_at: now, metric: '', value: 'x' } as never, 'INSERT');
    expect(bad).toThrow(InvalidRowError);
    expect(bad).toThrow(/id: must be a UUID.*metric: is required.*value/);
    expect(count('kpi_data')).toBe(0);
    expect(count('pending_changes')).toBe(0);
  });

  it('refuses a column the registry does not know', () => {
    expect(() =>
      writeLocal(
        store,
        'team',
        { id: randomUUID(), updated_at: now, name: 'Ann', server_version: 3 } as never,
        'INSERT',
      ),
    ).toThrow(/server_version/);
    expect(count('team')).toBe(0);
  });
});

describe('localTransaction', () => {
  it('rolls back every row and queued change when the work throws midway', () => {
    const formId = randomUUID();
    expect(() =>
      localTransaction(store, (local) => {
        local.write('forms', { id: formId, updated_at: now, title: 'Opening' }, 'INSERT');
        local.write('form_sections', { id: randomUUID(), updated_at: now, form_id: formId }, 'INSERT');
        throw new Error('disk on fire');
      }),
    ).toThrow('disk on fire');
    expect(count('forms')).toBe(0);
    expect(count('form_sections')).toBe(0);
    expect(count('pending_changes')).toBe(0);
  });

  it('rolls back the earlier rows when a later row is invalid', () => {
    expect(() =>
      localTransaction(store, (local) => {
        local.write('team', { id: randomUUID(), updated_at: now, name: 'Ann' }, 'INSERT');
        local.write('team', { id: randomUUID(), updated_at: now, name: '' }, 'INSERT');
      }),
    ).toThrow(/name: is required/);
    expect(count('team')).toBe(0);
    expect(count('pending_changes')).toBe(0);
  });

  it('composes: a nested transaction commits with its outer one, and listeners hear once, after commit', () => {
    const heard: string[][] = [];
    const stop = onLocalWrite(store, (tables) => {
      expect(store.sqlite.inTransaction).toBe(false);
      heard.push(tables);
    });
    localTransaction(store, (local) => {
      local.write('team', { id: randomUUID(), updated_at: now, name: 'Ann' }, 'INSERT');
      writeLocal(store, 'kpi_data', { id: randomUUID(), updated_at: now, metric: 'sales', value: 3 }, 'INSERT');
      expect(heard).toEqual([]);
    });
    expect(heard).toEqual([['team', 'kpi_data']]);
    stop();
    writeLocal(store, 'team', { id: randomUUID(), updated_at: now, name: 'Bob' }, 'INSERT');
    expect(heard).toHaveLength(1);
    expect(count('pending_changes')).toBe(3);
  });

  it('keeps the queue in the order the changes were made', () => {
    const id = randomUUID();
    writeLocal(store, 'team', { id, updated_at: now, name: 'Ann' }, 'INSERT');
    writeLocal(store, 'team', { id, updated_at: now, name: 'Ann B' }, 'UPDATE');
    writeLocal(store, 'team', { id, updated_at: now, name: 'Ann B', deleted_at: now }, 'DELETE');
    expect(pending().map((c) => c.operation)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
  });

  it('will not write through a LocalWrite kept past its transaction', () => {
    let kept: LocalWrite | undefined;
    localTransaction(store, (local) => {
      kept = local;
    });
    expect(() => kept!.write('team', { id: randomUUID(), updated_at: now, name: 'Ann' }, 'INSERT')).toThrow(
      /inside its localTransaction/,
    );
    expect(count('team')).toBe(0);
    expect(count('pending_changes')).toBe(0);
  });

  it('writeIfChanged writes and queues the parsed row it compared (defaults filled, instants normalised)', () => {
    const current = writeLocal(store, 'team', { id: randomUUID(), updated_at: now, name: 'Ann' }, 'INSERT');
    const written = localTransaction(store, (local) =>
      writeIfChanged(local, 'team', current, { ...current, name: 'Ann B', updated_at: '2026-01-02T05:04:05+02:00' }),
    );
    expect(written).toEqual({ ...current, name: 'Ann B', updated_at: now });
    const queued = pending().at(-1)!;
    expect(queued.operation).toBe('UPDATE');
    expect(JSON.parse(queued.data as string)).toEqual(written);
    const unchanged = localTransaction(store, (local) =>
      writeIfChanged(local, 'team', written, { ...written, updated_at: '2026-02-02T00:00:00Z' }),
    );
    expect(unchanged).toBe(written);
    expect(count('pending_changes')).toBe(2);
  });

  it('will not queue a change outside a transaction', () => {
    expect(() =>
      writeRowAndQueueChange(store.sqlite, 'team', { id: randomUUID(), updated_at: now, name: 'Ann' }, 'INSERT'),
    ).toThrow(/inside a transaction/);
  });
});
