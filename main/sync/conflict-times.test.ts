// The conflict panel's times are the ones a person recognises (clock skew): a Mac whose clock is
// a day behind pushes an edit its clock dates yesterday; the server corrects it by the push's
// timestamp, decides latest-wins on the corrected times, and the conflict the engine records
// carries both edits at their true times, not the Mac's clock.
import { describe, expect, it } from 'vitest';
import { createKpi } from '../repos/index.js';
import { editLocalRow, useServerWithDevices } from './testing/devices.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const world = useServerWithDevices();

/** Within the few seconds a push takes: the server's correction rests on its own receipt time. */
const near = (iso: string | null, expected: number) => {
  expect(iso).not.toBeNull();
  expect(Math.abs(Date.parse(iso!) - expected)).toBeLessThan(30_000);
};

describe('conflict edit times with a device clock a day behind', () => {
  it('records the corrected times of both edits, and the later edit wins although its device dated it yesterday', async () => {
    const behind = () => new Date(Date.now() - DAY);
    const mac = await world.device(world.server, 'ct-mac', 'manager', { now: behind });
    const phone = await world.device(world.server, 'ct-phone', 'store');
    const kpi = createKpi(phone.store, { metric: 'Sales', value: 1, store_id: 'S1' });
    await phone.engine.syncNow();
    await mac.engine.syncNow();

    // True times: the phone edits at 09:00, the Mac at 10:00 — on a clock that says yesterday 10:00.
    const nine = Date.now() - 2 * HOUR;
    const ten = Date.now() - HOUR;
    editLocalRow(phone, 'kpi_data', kpi.id, { value: 9 }, new Date(nine).toISOString());
    await phone.engine.syncNow();
    editLocalRow(mac, 'kpi_data', kpi.id, { value: 10 }, new Date(ten - DAY).toISOString());
    await mac.engine.syncNow();

    const [conflict] = mac.engine.listConflicts();
    expect(conflict).toMatchObject({
      table: 'kpi_data',
      record_id: kpi.id,
      rule: 'latest_wins',
      resolution: 'client_wins',
    });
    // The rows still say what each device's clock said; the recorded edit times are the true ones.
    expect(Date.parse(String(conflict!.client_data.updated_at))).toBe(ten - DAY);
    near(conflict!.client_edited_at, ten);
    near(conflict!.server_edited_at, nine);
    expect(mac.rows('kpi_data').get(kpi.id)).toMatchObject({ value: 10 });

    // Kept across reopening the list with closed ones too (read back from the local table).
    await mac.engine.resolveConflict(conflict!.id, 'accept');
    const closed = mac.engine.listConflicts({ include_closed: true }).find((c) => c.id === conflict!.id)!;
    expect([closed.client_edited_at, closed.server_edited_at]).toEqual([
      conflict!.client_edited_at,
      conflict!.server_edited_at,
    ]);
  });
});
