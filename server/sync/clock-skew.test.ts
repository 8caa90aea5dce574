// Latest-wins on the server's clock (issue: clocks a day off). Two edits of one KPI, made at true
// times 09:00 and 10:00 by devices whose clocks are a day behind, right, or a day ahead, pushed in
// both orders: the 10:00 edit wins in all 18 cases, and the conflict carries both true times.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make, ProtocolTestClient } from '../testing/sync-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const clocks = { behind: -DAY, right: 0, ahead: DAY } as const;
type Clock = keyof typeof clocks;

let server: TestServer;
let db: pg.Pool;
const devices = new Map<string, ProtocolTestClient>();

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Pool({ connectionString: server.databaseUrl, max: 1 });
  for (const role of ['early', 'late'])
    for (const clock of Object.keys(clocks)) {
      const id = `${role}-${clock}`;
      devices.set(id, new ProtocolTestClient(server.url, id, await server.enroll(id, 'store')));
    }
});
afterAll(async () => {
  await db?.end();
  await server?.dispose();
});

/** Pushes one edit as a device whose clock is `clock` off: its updated_at and its push timestamp both read that clock. */
const pushEdit = (device: ProtocolTestClient, clock: Clock, row: Record<string, unknown>, trueTime: number) =>
  device.push(
    { kpi_data: [{ ...row, change_id: randomUUID(), updated_at: new Date(trueTime + clocks[clock]).toISOString() }] },
    { timestamp: new Date(Date.now() + clocks[clock]).toISOString() },
  );

const near = (iso: string, expected: number) => expect(Math.abs(Date.parse(iso) - expected)).toBeLessThan(30_000);

const cases = (Object.keys(clocks) as Clock[]).flatMap((early) =>
  (Object.keys(clocks) as Clock[]).flatMap((late) =>
    (['early first', 'late first'] as const).map((order) => ({ early, late, order })),
  ),
);

describe('latest_wins with device clocks a day off', () => {
  it.each(cases)(
    'the 10:00 edit wins: 09:00 by a clock $early, 10:00 by a clock $late, $order',
    async ({ early, late, order }) => {
      // True times in the past, an hour apart ("09:00" and "10:00").
      const nine = Date.now() - 2 * HOUR;
      const ten = Date.now() - HOUR;
      const kpi = make.kpi();
      const earlyEdit = { ...kpi, value: 9 };
      const lateEdit = { ...kpi, value: 10 };
      const earlyDevice = devices.get(`early-${early}`)!;
      const lateDevice = devices.get(`late-${late}`)!;

      const pushes =
        order === 'early first'
          ? [() => pushEdit(earlyDevice, early, earlyEdit, nine), () => pushEdit(lateDevice, late, lateEdit, ten)]
          : [() => pushEdit(lateDevice, late, lateEdit, ten), () => pushEdit(earlyDevice, early, earlyEdit, nine)];
      expect((await pushes[0]!()).status).toBe(200);
      const second = await pushes[1]!();
      expect(second.status).toBe(200);

      const [conflict] = second.body.conflicts;
      expect(conflict).toMatchObject({
        rule: 'latest_wins',
        resolution: order === 'early first' ? 'client_wins' : 'server_wins',
      });
      // What a person recognises: both edits at their true times, whatever the devices' clocks said.
      near(conflict.client_edited_at, order === 'early first' ? ten : nine);
      near(conflict.server_edited_at, order === 'early first' ? nine : ten);
      expect((await db.query('select value from kpi_data where id = $1', [kpi.id])).rows[0].value).toBe(10);
      // The audit log keeps each change's corrected time too.
      const audit = (await db.query('select edited_at from audit_log where record_id = $1 order by id', [kpi.id])).rows;
      expect(audit).toHaveLength(2);
      near(audit[order === 'early first' ? 0 : 1].edited_at.toISOString(), nine);
    },
  );
});
