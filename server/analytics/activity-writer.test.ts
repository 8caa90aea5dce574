// The activity writer's group commit (activity-log.ts): requests finishing while a write is on its
// way share the next upsert, and every increment is counted once.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from 'pino';
import { openDatabase, rowsOf, type OpenDatabase } from '../db/client.js';
import { createLogger } from '../start.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-server.js';
import { ActivityWriter } from './activity-log.js';

describe('ActivityWriter', () => {
  let database: TestDatabase;
  let opened: OpenDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('activity_writer');
    opened = await openDatabase({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await opened.close();
    await database.drop();
  });

  const today = async () =>
    rowsOf<{
      device_id: string;
      pulls: number;
      pushes: number;
      rows_pushed: number;
      failures: number;
      refused: number;
    }>(
      await opened.db.execute(sql`select device_id, pulls, pushes, rows_pushed, failures, refused from device_activity
        where day = (now() at time zone 'utc')::date order by device_id`),
    );

  it('writes a burst of requests in a few statements, each increment counted once', async () => {
    const writer = new ActivityWriter(opened.db, createLogger('silent'));
    // 60 requests of three devices finishing in one tick: the first is written at once, the rest
    // wait for it and go together, summed per device.
    for (let i = 0; i < 60; i += 1) {
      const device = `store-${i % 3}`;
      writer.add(
        i % 10 === 9
          ? { device_id: device, failures: 1, refused: 2 }
          : { device_id: device, pushes: 1, rows_pushed: 200 },
      );
    }
    await writer.idle();
    expect(writer.statements).toBe(2);
    expect(await today()).toEqual([
      { device_id: 'store-0', pulls: 0, pushes: 18, rows_pushed: 3600, failures: 2, refused: 4 },
      { device_id: 'store-1', pulls: 0, pushes: 18, rows_pushed: 3600, failures: 2, refused: 4 },
      { device_id: 'store-2', pulls: 0, pushes: 18, rows_pushed: 3600, failures: 2, refused: 4 },
    ]);

    // Alone, a request is written at once, added to the day's row.
    writer.add({ device_id: 'store-1', pulls: 1, rows_pulled: 5 });
    await writer.idle();
    expect(writer.statements).toBe(3);
    expect((await today())[1]).toMatchObject({ device_id: 'store-1', pulls: 1, pushes: 18 });
  });

  it('lets two server processes write the same devices at once without a deadlock', async () => {
    // Two writers on their own connections (two server processes) with the same two devices,
    // arriving in opposite orders, while a third transaction holds the first device's row: both
    // upserts queue behind it. Locking in arrival order, the second would hold lock-b and wait for
    // lock-a while the first, once let through, holds lock-a and waits for lock-b: a deadlock,
    // one of them aborted and its counts lost. In device order both wait on lock-a alone.
    const [second, holder] = [
      await openDatabase({ databaseUrl: database.url }),
      await openDatabase({ databaseUrl: database.url }),
    ];
    const warnings: unknown[] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
    try {
      const first = new ActivityWriter(opened.db, logger);
      first.add({ device_id: 'lock-a', pulls: 1 });
      first.add({ device_id: 'lock-b', pulls: 1 });
      await first.idle();
      const writers = [new ActivityWriter(opened.db, logger), new ActivityWriter(second.db, logger)];
      await holder.db.transaction(async (tx) => {
        await tx.execute(sql`select 1 from device_activity where device_id = 'lock-a' for update`);
        // Each writer's first add is written at once: give it a batch of both devices.
        writers[0]!.add({ device_id: 'lock-x0', pulls: 1 });
        writers[1]!.add({ device_id: 'lock-x1', pulls: 1 });
        writers[0]!.add({ device_id: 'lock-a', pulls: 1 });
        writers[0]!.add({ device_id: 'lock-b', pulls: 1 });
        writers[1]!.add({ device_id: 'lock-b', pulls: 1 });
        writers[1]!.add({ device_id: 'lock-a', pulls: 1 });
        await new Promise((resolve) => setTimeout(resolve, 300)); // both batches wait on lock-a
      });
      await Promise.all(writers.map((writer) => writer.idle()));
      expect(warnings).toEqual([]);
      const counted = (await today()).filter((row) => row.device_id === 'lock-a' || row.device_id === 'lock-b');
      expect(counted.map((row) => row.pulls)).toEqual([3, 3]);
    } finally {
      await Promise.all([second.close(), holder.close()]);
    }
  });
});
