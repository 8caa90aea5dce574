// Watermarks: a handed-out timestamp maps back to its position; thinning never maps one to a
// later position than its own.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/test-database.js';
import { positionAt, recordWatermark, thinWatermarks } from './watermarks.js';

const open = useTestDatabase('watermarks');

const HOUR = 3600_000;

describe('watermarks', () => {
  it('hands out unique instants that map back to their own positions', async () => {
    const positions = Array.from({ length: 20 }, (_, i) => ({ txid: BigInt(1000 + (i % 3)), version: BigInt(i) }));
    const stamps = await Promise.all(positions.map((p) => recordWatermark(open.db, p)));
    expect(new Set(stamps.map((s) => s.toISOString())).size).toBe(20);
    for (const [i, stamp] of stamps.entries())
      expect(await positionAt(open.db, stamp.toISOString())).toEqual(positions[i]);
    expect(await positionAt(open.db, '2000-01-01T00:00:00.000Z')).toBeNull();
  });

  it("thins day-old watermarks to each hour's earliest instant with its smallest position", async () => {
    const now = Date.parse('2030-06-10T12:00:00.000Z');
    const hour = Date.parse('2030-06-08T10:00:00.000Z');
    // Out of order on purpose: positions are not monotone in time across devices.
    const rows = [
      { at: hour + 60_000, txid: 50, version: 9 },
      { at: hour + 120_000, txid: 40, version: 3 },
      { at: hour + 180_000, txid: 60, version: 1 },
    ];
    for (const r of rows) {
      await open.db.execute(
        sql`insert into sync_watermarks values (${new Date(r.at).toISOString()}::timestamptz, ${r.txid}, ${r.version})`,
      );
    }
    const recent = new Date(now - HOUR).toISOString();
    await open.db.execute(sql`insert into sync_watermarks values (${recent}::timestamptz, 70, 1)`);
    await thinWatermarks(open.db, now);

    const left = await open.db.execute(
      sql`select count(*)::int as n from sync_watermarks where at >= ${new Date(hour).toISOString()}::timestamptz and at < ${new Date(hour + HOUR).toISOString()}::timestamptz`,
    );
    expect((left as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
    // Every timestamp of that hour resolves to a position no later than its own.
    for (const r of rows)
      expect(await positionAt(open.db, new Date(r.at).toISOString())).toEqual({ txid: 40n, version: 3n });
    expect(await positionAt(open.db, recent)).toEqual({ txid: 70n, version: 1n });
  });
});
