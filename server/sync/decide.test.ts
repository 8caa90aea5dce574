// The push decision without PostgreSQL: what is written, audited, recorded as a conflict, refused.
import { describe, expect, it } from 'vitest';
import { decideBatch, type BatchInput, type CurrentRow } from './decide.js';

const now = new Date('2025-12-18T11:00:00.000Z');
const id = '6f1c2a9e-3b4d-4c5e-8f70-1a2b3c4d5e6f';
const kpi = (over: Record<string, unknown> = {}) => ({
  id,
  change_id: '0b6f2d3e-7a81-4c9d-9e0f-112233445566',
  metric: 'daily_sales',
  value: 10,
  store_id: null,
  period: null,
  target: null,
  deleted_at: null,
  updated_at: '2025-12-18T10:50:00.000Z',
  ...over,
});
const held = (
  over: Record<string, unknown> = {},
  position = { txid: 500n, version: 40n },
  editedAt: string | null = '2025-12-18T10:40:00.000Z',
): CurrentRow => ({
  row: {
    ...kpi({ value: 7, updated_at: '2025-12-18T10:40:00.000Z' }),
    change_id: undefined,
    server_version: 40,
    server_updated_at: '2025-12-18T10:40:01.000Z',
    written_by: 'store-002',
    ...over,
  },
  position,
  editedAt,
});
const input = (over: Partial<BatchInput> = {}): BatchInput => ({
  table: 'kpi_data',
  rule: 'latest_wins',
  device: { id: 'store-001', role: 'store' },
  base: { kind: 'none' },
  now,
  clockSkewMs: 0,
  fresh: [kpi()],
  current: new Map(),
  missingParent: new Map(),
  ...over,
});

describe('decideBatch', () => {
  it('writes and audits an insert with its edit time, no conflict', () => {
    const d = decideBatch(input());
    expect(d.toWrite).toEqual([expect.objectContaining({ id, value: 10, edited_at: '2025-12-18T10:50:00.000Z' })]);
    expect(d.toWrite[0]).not.toHaveProperty('change_id');
    expect(d.audits).toEqual([
      expect.objectContaining({ operation: 'INSERT', outcome: 'applied', before: null, rule: null }),
    ]);
    expect(d.conflicts).toEqual([]);
  });

  it('records a conflict with both true edit times and keeps the later edit (the server row) when the device is a day ahead', () => {
    const day = 24 * 3600_000;
    // The device's clock says tomorrow 10:30: really today 10:30, before the server row's 10:40.
    const pushed = kpi({ updated_at: '2025-12-19T10:30:00.000Z' });
    const d = decideBatch(input({ fresh: [pushed], clockSkewMs: -day, current: new Map([[id, held()]]) }));
    expect(d.conflicts).toEqual([
      expect.objectContaining({
        resolution: 'server_wins',
        rule: 'latest_wins',
        client_edited_at: new Date('2025-12-18T10:30:00.000Z'),
        server_edited_at: new Date('2025-12-18T10:40:00.000Z'),
      }),
    ]);
    expect(d.toWrite).toEqual([]);
    // The loser is kept in the audit log, as sent (invariant 7).
    expect(d.audits).toEqual([
      expect.objectContaining({
        outcome: 'server_wins',
        rule: 'latest_wins',
        after: expect.objectContaining({ value: 10 }),
      }),
    ]);
  });

  it('sees no conflict when the device had seen the server row (its position is not after the base)', () => {
    const d = decideBatch(
      input({ base: { kind: 'position', position: { txid: 500n, version: 40n } }, current: new Map([[id, held()]]) }),
    );
    expect(d.conflicts).toEqual([]);
    expect(d.audits[0]).toMatchObject({ operation: 'UPDATE', outcome: 'applied' });
  });

  it('compares positions, not versions: a row with a lower version but a later transaction is unseen', () => {
    const later = held({}, { txid: 501n, version: 3n });
    const d = decideBatch(
      input({ base: { kind: 'position', position: { txid: 500n, version: 40n } }, current: new Map([[id, later]]) }),
    );
    expect(d.conflicts).toHaveLength(1);
  });

  it('sees no conflict with its own write or when only updated_at differs', () => {
    expect(decideBatch(input({ current: new Map([[id, held({ written_by: 'store-001' })]]) })).conflicts).toEqual([]);
    expect(decideBatch(input({ current: new Map([[id, held({ value: 10 })]]) })).conflicts).toEqual([]);
  });

  it('falls back to the stored updated_at for a row without an edit time', () => {
    const d = decideBatch(input({ current: new Map([[id, held({}, undefined, null)]]) }));
    expect(d.conflicts[0]).toMatchObject({
      resolution: 'client_wins',
      server_edited_at: new Date('2025-12-18T10:40:00.000Z'),
    });
  });

  it('refuses a row whose parent is missing: not written, not audited, with the reason', () => {
    const d = decideBatch(input({ missingParent: new Map([[id, 'no forms row']]) }));
    expect(d.rejected).toEqual([
      { table: 'kpi_data', record_id: id, change_id: kpi().change_id, reason: 'no forms row' },
    ]);
    expect(d.toWrite).toEqual([]);
    expect(d.audits).toEqual([]);
  });

  it('audits a tombstone of a live row as a DELETE', () => {
    const d = decideBatch(
      input({
        fresh: [kpi({ deleted_at: '2025-12-18T10:55:00.000Z' })],
        current: new Map([[id, held({ written_by: 'store-001' })]]),
      }),
    );
    expect(d.audits[0]).toMatchObject({ operation: 'DELETE', outcome: 'applied' });
  });
});
