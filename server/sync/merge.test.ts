// The field-level merge without PostgreSQL: merge.ts alone, and decide.ts with a base image.
import { describe, expect, it } from 'vitest';
import { decideBatch, type BatchInput, type CurrentRow } from './decide.js';
import { mergeFields } from './merge.js';

const id = '6f1c2a9e-3b4d-4c5e-8f70-1a2b3c4d5e6f';
const base = {
  id,
  metric: 'daily_sales',
  value: 10,
  store_id: 'store-001',
  period: '2025-12',
  target: 100,
  deleted_at: null,
  updated_at: '2025-12-18T10:00:00.000Z',
};

describe('mergeFields', () => {
  it('takes the pushed value of a field only the pusher changed and keeps a field only others changed', () => {
    const merged = mergeFields({
      table: 'kpi_data',
      base,
      server: { ...base, target: 120 },
      pushed: { ...base, value: 11 },
      resolution: 'server_wins',
    });
    expect(merged).toMatchObject({ pushed: ['value'], kept: ['target'], conflicts: [] });
    expect(merged?.row).toMatchObject({ value: 11, target: 120 });
  });

  it('lets the rule decide a field both changed, naming it with both values and its outcome', () => {
    const both = { table: 'kpi_data' as const, base, server: { ...base, value: 12, target: 120 } };
    const won = mergeFields({ ...both, pushed: { ...base, value: 11, period: '2026-01' }, resolution: 'client_wins' });
    expect(won?.conflicts).toEqual([
      { field: 'value', client_value: 11, server_value: 12, base_value: 10, resolution: 'client_wins' },
    ]);
    expect(won?.row).toMatchObject({ value: 11, target: 120, period: '2026-01' });
    const lost = mergeFields({ ...both, pushed: { ...base, value: 11, period: '2026-01' }, resolution: 'server_wins' });
    expect(lost?.row).toMatchObject({ value: 12, target: 120, period: '2026-01' });
    expect(lost?.pushed).toEqual(['period']);
  });

  it('is no conflict when both changed a field to the same value', () => {
    const merged = mergeFields({
      table: 'kpi_data',
      base,
      server: { ...base, value: 11 },
      pushed: { ...base, value: 11 },
      resolution: 'server_wins',
    });
    expect(merged).toMatchObject({ pushed: [], kept: [], conflicts: [] });
  });

  it('merges a JSON value as one whole value, compared by content', () => {
    const answerBase = { id, submission_id: id, field_id: id, value: { a: 1, b: [1, 2] }, deleted_at: null };
    const reordered = mergeFields({
      table: 'submission_answers',
      base: answerBase,
      server: { ...answerBase, value: { b: [1, 2], a: 1 } },
      pushed: { ...answerBase, value: { a: 1, b: [1, 2, 3] } },
      resolution: 'server_wins',
    });
    // jsonb reorders keys: the server did not change the value, so the push's whole value stands.
    expect(reordered?.row.value).toEqual({ a: 1, b: [1, 2, 3] });
    const both = mergeFields({
      table: 'submission_answers',
      base: answerBase,
      server: { ...answerBase, value: { a: 2, b: [1, 2] } },
      pushed: { ...answerBase, value: { a: 1, b: [9] } },
      resolution: 'server_wins',
    });
    // No key-by-key merge inside the JSON: the server's whole value wins.
    expect(both?.row.value).toEqual({ a: 2, b: [1, 2] });
    expect(both?.conflicts.map((c) => c.field)).toEqual(['value']);
  });

  it('does not merge a delete or an undelete on either side: the row-level rule decides', () => {
    const gone = '2025-12-18T10:30:00.000Z';
    const push = { table: 'kpi_data' as const, base, resolution: 'client_wins' as const };
    expect(mergeFields({ ...push, server: { ...base, target: 1 }, pushed: { ...base, deleted_at: gone } })).toBeNull();
    expect(mergeFields({ ...push, server: { ...base, deleted_at: gone }, pushed: { ...base, value: 1 } })).toBeNull();
  });
});

describe('decideBatch with a base image', () => {
  const now = new Date('2025-12-18T11:00:00.000Z');
  const held = (over: Record<string, unknown>): CurrentRow => ({
    row: {
      ...base,
      ...over,
      updated_at: '2025-12-18T10:40:00.000Z',
      server_version: 41,
      server_updated_at: '2025-12-18T10:40:01.000Z',
      written_by: 'store-002',
    },
    position: { txid: 500n, version: 41n },
    editedAt: '2025-12-18T10:40:00.000Z',
  });
  const push = (over: Record<string, unknown>, baseVersion: number | null = 40) => ({
    ...base,
    ...over,
    change_id: '0b6f2d3e-7a81-4c9d-9e0f-112233445566',
    updated_at: '2025-12-18T10:50:00.000Z',
    ...(baseVersion === null ? {} : { base_version: baseVersion }),
  });
  const input = (over: Partial<BatchInput>): BatchInput => ({
    table: 'kpi_data',
    rule: 'latest_wins',
    device: { id: 'store-001', role: 'store' },
    base: { kind: 'none' },
    now,
    clockSkewMs: 0,
    fresh: [],
    current: new Map([[id, held({ target: 120 })]]),
    missingParent: new Map(),
    baseImages: new Map([[id, base]]),
    ...over,
  });

  it('writes a non-overlapping push as a merge: no conflict, audit outcome merged with the fields of each side', () => {
    const d = decideBatch(input({ fresh: [push({ value: 11 })] }));
    expect(d.conflicts).toEqual([]);
    expect(d.toWrite).toEqual([
      expect.objectContaining({ value: 11, target: 120, updated_at: '2025-12-18T10:50:00.000Z' }),
    ]);
    expect(d.audits[0]).toMatchObject({
      outcome: 'merged',
      rule: null,
      merge: { pushed: ['value'], kept: ['target'], conflicted: [] },
      after: expect.objectContaining({ value: 11, target: 120 }),
    });
  });

  it('records an overlap as a conflict naming only that field, and still keeps the other side’s field', () => {
    // The server's edit (10:40) is older than the push's (10:50): latest_wins gives value to the push.
    const d = decideBatch(
      input({ current: new Map([[id, held({ value: 12, target: 120 })]]), fresh: [push({ value: 11 })] }),
    );
    expect(d.conflicts).toEqual([
      expect.objectContaining({
        resolution: 'client_wins',
        fields: [{ field: 'value', client_value: 11, server_value: 12, base_value: 10, resolution: 'client_wins' }],
      }),
    ]);
    expect(d.toWrite[0]).toMatchObject({ value: 11, target: 120 });
    expect(d.audits[0]).toMatchObject({ outcome: 'merged', rule: 'latest_wins' });
  });

  it('writes nothing when every pushed field lost to the rule', () => {
    const d = decideBatch(
      input({
        current: new Map([[id, held({ value: 12, target: 120 })]]),
        fresh: [{ ...push({ value: 11 }), updated_at: '2025-12-18T10:30:00.000Z' }],
      }),
    );
    expect(d.toWrite).toEqual([]);
    expect(d.conflicts[0]).toMatchObject({
      resolution: 'server_wins',
      fields: [expect.objectContaining({ field: 'value' })],
    });
    expect(d.audits[0]).toMatchObject({ outcome: 'server_wins', after: expect.objectContaining({ value: 11 }) });
  });

  it('keeps the row-level rule without base_version (seed clients) or without the base image', () => {
    for (const over of [
      { fresh: [push({ value: 11 }, null)] },
      { fresh: [push({ value: 11 })], baseImages: new Map() },
    ]) {
      const d = decideBatch(input(over));
      expect(d.conflicts).toEqual([expect.objectContaining({ resolution: 'client_wins' })]);
      expect(d.conflicts[0]).not.toHaveProperty('fields');
      // The whole pushed row won: the server's target edit is gone, as before field-level merge.
      expect(d.toWrite[0]).toMatchObject({ value: 11, target: 100 });
      expect(d.audits[0]).toMatchObject({ outcome: 'client_wins', merge: null });
    }
  });

  it('is no conflict when the held row is still the base version, whatever the cursor says', () => {
    const d = decideBatch(input({ fresh: [push({ value: 11 }, 41)] }));
    expect(d.conflicts).toEqual([]);
    expect(d.audits[0]).toMatchObject({ outcome: 'applied' });
  });

  it('merges over the device’s own earlier write without a conflict with itself, keeping the other device’s field', () => {
    // store-001 wrote value 11 (merged with store-002's target 120); its next queued edit, made on
    // the same base, changes value again and period.
    const own = held({ value: 11, target: 120 });
    own.row.written_by = 'store-001';
    const d = decideBatch(input({ current: new Map([[id, own]]), fresh: [push({ value: 13, period: 'Q1' })] }));
    expect(d.conflicts).toEqual([]);
    expect(d.toWrite[0]).toMatchObject({ value: 13, target: 120, period: 'Q1' });
    expect(d.audits[0]).toMatchObject({ outcome: 'merged', rule: null });
  });

  it('decides a delete against an edit of another field by the rule, as a whole row', () => {
    const d = decideBatch(input({ fresh: [push({ deleted_at: '2025-12-18T10:50:00.000Z' })] }));
    expect(d.conflicts).toEqual([expect.objectContaining({ resolution: 'client_wins', rule: 'latest_wins' })]);
    expect(d.conflicts[0]).not.toHaveProperty('fields');
    expect(d.audits[0]).toMatchObject({ operation: 'DELETE', outcome: 'client_wins' });
  });
});
