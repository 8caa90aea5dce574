// `npm run device:scope -- <device_id> --store S002`: moves a store device to another store. Its
// next pull brings every row of the new store and the ids of the old store's rows to delete
// (invariant 12; nothing is deleted on the server). Recorded in the device audit log. Same
// database choice as device:add (cli/admin-target.ts).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { deviceId as DeviceId, storeCode } from '../../shared/protocol/sync.js';
import { changeDeviceStore } from '../auth/device-scope.js';
import { adminTarget, fail } from './admin-target.js';

const usage = 'usage: npm run device:scope -- <device_id> --store <code>';

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { store: { type: 'string' } },
  allowPositionals: true,
  strict: false,
});
const args = z
  .object({ deviceId: DeviceId, store: storeCode })
  .safeParse({ deviceId: positionals[0], store: values.store });
if (!args.success || positionals.length !== 1) {
  const why = args.success
    ? 'give exactly one device id'
    : args.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ');
  fail(`${why}\n${usage}`, 2);
}
const { deviceId, store } = args.data;

const report = (moved: boolean, previous: string | null, where: string) =>
  console.log(
    moved
      ? `moved ${deviceId} from ${previous ?? 'no store'} to store ${store} in ${where}: its next sync brings ${store}'s rows and removes the others`
      : `${deviceId} already belongs to store ${store} in ${where}`,
  );

const target = await adminTarget();
if (target.kind === 'server') {
  const { status, body } = await target.call(`/devices/${encodeURIComponent(deviceId)}/scope`, { store });
  if (status !== 200) fail(`the sync server refused: ${typeof body.error === 'string' ? body.error : status}`);
  report(body.moved === true, (body.previous_store as string | null) ?? null, target.where);
} else {
  const result = await changeDeviceStore(target.database.db, deviceId, store).finally(() => target.database.close());
  if (result.outcome === 'unknown') fail(`no device ${deviceId} is enrolled in ${target.where}`);
  if (result.outcome === 'manager') fail(`${deviceId} is a manager device: it sees every store and belongs to none`);
  report(result.outcome === 'moved', result.from_store, target.where);
}
