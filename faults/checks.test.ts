// The model checks must be able to fail: after one healed, converged scenario (a latest-wins
// conflict with a loser, a store's forbidden write), each check passes, then each is shown the
// very thing it guards against, broken on purpose, and must name it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLocal } from '../main/db/outbox.js';
import { tableStatements } from '../main/sync/local-rows.js';
import { localRows } from '../main/sync/testing/devices.js';
import { ProtocolTestClient } from '../server/testing/sync-client.js';
import { deviceRoles, warmUp, type Run } from './commands.js';
import {
  checkAuditExactlyOnce,
  checkConflicts,
  checkDevicesEqualServer,
  checkFinalValues,
  checkQueuesAndDiscardRefused,
  checkSeedClientEqualsServer,
  checkStoreScope,
  healAndSettle,
  serverTruth,
} from './checks.js';
import { editRecord, localWrite } from './local-writes.js';
import { closeFaultDevice, createFaultDevice, createSeedClient, startFaultWorld, type FaultWorld } from './world.js';

let world: FaultWorld;
let run: Run;
let auditor: ProtocolTestClient;
let submissionId: string;

beforeAll(async () => {
  world = await startFaultWorld();
  const devices = [];
  for (const [i, role] of deviceRoles.entries()) devices.push(await createFaultDevice(world, `chk-${role}-${i}`, role));
  run = { world, devices, seed: await createSeedClient(world, 'chk-seed'), skewed: new Set(), notes: [] };
  auditor = new ProtocolTestClient(world.servers[0]!.url, 'chk-auditor', await world.enroll('chk-auditor', 'manager'));
  await warmUp(run);
  const [manager, , store] = run.devices;
  // The store's edit is the earlier one but reaches the server second: it loses (latest wins).
  submissionId = [...localRows(store!.store, 'submissions').keys()][0]!;
  editRecord(store!, 'submissions', submissionId, 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  editRecord(manager!, 'submissions', submissionId, 2);
  await manager!.engine.syncNow('test');
  await store!.engine.syncNow('test');
  // A store may not write forms: refused for good, set aside with a reason.
  const forbidden = localWrite(store!, 'forms', 'edit', 0, 3);
  store!.forbidden.add(forbidden!);
  run.seed.createKpi(4);
  await run.seed.sync(world.proxies[1]!.url);
  expect(await healAndSettle(run)).toEqual([]);
  expect(await checkQueuesAndDiscardRefused(run)).toEqual([]);
}, 120_000);

afterAll(async () => {
  run?.devices.forEach(closeFaultDevice);
  await world?.close();
}, 120_000);

const truth = () => serverTruth(auditor);

describe('the model checks', () => {
  // (The seed client's own convergence is the model test's second property, not asserted here.)
  it('pass on a healed world, with a conflict and its loser in it', async () => {
    const t = await truth();
    expect(checkDevicesEqualServer(run, t)).toEqual([]);
    expect(checkStoreScope(run)).toEqual([]);
    expect(await checkAuditExactlyOnce(run)).toEqual([]);
    expect(await checkConflicts(run)).toEqual([]);
    expect(await checkFinalValues(run, t)).toEqual([]);
    const [recorded] = await world.serverDb.query<{ resolution: string }>(
      'select resolution from conflicts where record_id = $1',
      [submissionId],
    );
    expect(recorded).toMatchObject({ resolution: 'server_wins' });
  });

  it('name a device whose row differs from the server in content only', async () => {
    const store = run.devices[2]!;
    store.store.sqlite
      .prepare('UPDATE submissions SET submitted_by = ? WHERE id = ?')
      .run('changed behind the engine', submissionId);
    expect(checkDevicesEqualServer(run, await truth()).join('\n')).toMatch(
      new RegExp(`${store.id}: submissions/${submissionId} differs`),
    );
  });

  it("name a store device holding another store's row", async () => {
    const [manager, , store] = run.devices;
    const kpi = [...localRows(manager!.store, 'kpi_data').values()].find((row) => row.store_id !== store!.id)!;
    const statements = tableStatements(store!.store, 'kpi_data');
    statements.upsertIfNewer.run(...statements.values({ ...kpi }, 1));
    expect(checkStoreScope(run).join('\n')).toMatch(
      new RegExp(
        `${store!.id} \\(store ${store!.id}\\) holds kpi_data/${kpi.id as string} of store ${kpi.store_id as string}`,
      ),
    );
  });

  it('name a seed-client row the client never received', async () => {
    const [id] = run.seed.rows.get('kpi_data')!.keys();
    run.seed.rows.get('kpi_data')!.delete(id!);
    expect(checkSeedClientEqualsServer(run, await truth()).join('\n')).toMatch(
      /is on the server but not on the device/,
    );
  });

  it('name a change that is not in the audit log exactly once', async () => {
    const device = run.devices[0]!;
    const ghost = randomUUID();
    device.queued.push(ghost);
    expect((await checkAuditExactlyOnce(run)).join('\n')).toMatch(
      new RegExp(`change ${ghost} is in the audit log 0 time\\(s\\), expected 1`),
    );
    device.queued.pop();
    const [some] = await world.serverDb.query<{ change_id: string }>(
      'select change_id::text from audit_log where device_id = $1 limit 1',
      [device.id],
    );
    await world.serverDb.query(
      'insert into audit_log (device_id, change_id, table_name, record_id, operation, outcome) select device_id, gen_random_uuid(), table_name, record_id, operation, outcome from audit_log where change_id = $1',
      [some!.change_id],
    );
    expect((await checkAuditExactlyOnce(run)).join('\n')).toMatch(/audit entry for change .* the device never made/);
  });

  it('name a loser missing from the losing device, and a resolution against the rule', async () => {
    const store = run.devices[2]!;
    store.store.sqlite.prepare('DELETE FROM conflicts').run();
    expect((await checkConflicts(run)).join('\n')).toMatch(/lost on the server but is not in the device's conflicts/);
    await world.serverDb.query("update conflicts set resolution = 'client_wins' where record_id = $1", [submissionId]);
    const problems = (await checkConflicts(run)).join('\n');
    expect(problems).toMatch(/audit says server_wins, conflicts table says client_wins/);
    expect(problems).toMatch(/client_wins, but the stored edit is the later one/);
  });

  it('name a record whose final value is not what the last winning change wrote', async () => {
    await world.serverDb.query("update submissions set submitted_by = 'written past the audit log' where id = $1", [
      submissionId,
    ]);
    expect((await checkFinalValues(run, await truth())).join('\n')).toMatch(
      new RegExp(`submissions/${submissionId}: server holds`),
    );
  });

  it('name a change stuck in a queue', async () => {
    const manager = run.devices[0]!;
    const [kpi] = localRows(manager.store, 'kpi_data').values();
    writeLocal(manager.store, 'kpi_data', { ...kpi, value: 99 } as never, 'UPDATE');
    expect((await checkQueuesAndDiscardRefused(run)).join('\n')).toMatch(/is stuck in the queue after healing/);
  });
});
