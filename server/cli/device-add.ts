// `npm run device:add -- <device_id> --role manager|store [--store S001] [--force]`: enrolls a device in the
// database given by DATABASE_URL, else the embedded default (DATA_DIR or .data/server) — through
// the running server when one holds that folder. The token is printed alone on the last line,
// for scripts. An enrolled id is refused unless --force: re-adding replaces its token, and a
// device still using the old one would be locked out. A store device belongs to one store
// (`--store`, required); a manager sees every store (`--store` refused).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { deviceId as DeviceId, DeviceRole, storeCode } from '../../shared/protocol/sync.js';
import { enrollDevice, findDevice } from '../auth/devices.js';
import { adminTarget, fail } from './admin-target.js';

const usage = 'usage: npm run device:add -- <device_id> --role manager|store [--store <code>] [--force]';

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { role: { type: 'string' }, store: { type: 'string' }, force: { type: 'boolean', default: false } },
  allowPositionals: true,
  strict: false,
});
const args = z
  .object({ deviceId: DeviceId, role: DeviceRole, store: storeCode.optional() })
  .safeParse({ deviceId: positionals[0], role: values.role, store: values.store });
if (!args.success || positionals.length !== 1) {
  const why = args.success
    ? 'give exactly one device id'
    : args.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ');
  fail(`${why}\n${usage}`, 2);
}
const { deviceId, role, store } = args.data;
// Invariant 12: a store device holds one store's rows; a manager every store's.
if (role === 'store' && !store)
  fail(`a store device belongs to one store: give --store <code>, e.g. --store S001\n${usage}`, 2);
if (role === 'manager' && store)
  fail(`a manager device sees every store and belongs to none: leave out --store ${store}\n${usage}`, 2);
const replace = values.force === true;

const print = (token: string, where: string) => {
  console.log(
    `${replace ? 'enrolled (old token replaced)' : 'enrolled'} ${deviceId} as ${role}${store ? ` of store ${store}` : ''} in ${where}`,
  );
  console.log('token (shown once; send it as Authorization: Bearer <token>):');
  console.log(token);
};
function refuseExisting(why: string): never {
  fail(
    `${why}. Adding it again gives it a new token and the old one stops working at once; run again with --force to do that.`,
  );
}

const target = await adminTarget();
if (target.kind === 'server') {
  const { status, body } = await target.call('/devices', { device_id: deviceId, role, replace, store });
  if (status === 409) refuseExisting(String(body.error));
  if (status !== 200 || typeof body.token !== 'string')
    fail(`the sync server refused: ${typeof body.error === 'string' ? body.error : status}`);
  print(body.token, target.where);
} else {
  const existing = await findDevice(target.database.db, deviceId);
  const token =
    existing && !replace ? null : await enrollDevice(target.database.db, deviceId, role, 'cli', store ?? null);
  await target.database.close();
  if (!token) refuseExisting(`device ${deviceId} is already enrolled (as ${existing?.role})`);
  print(token, target.where);
}
