// `npm run device:revoke -- <device_id>`: a store phone is lost — its token stops working at
// once (the next request gets 401; a server holding its live connection is told to close it),
// recorded in the device audit log. Same database choice as device:add (cli/admin-target.ts).
// Re-adding the device later (`device:add --force`) gives it a fresh token.
import { parseArgs } from 'node:util';
import { deviceId as DeviceId } from '../../shared/protocol/sync.js';
import { revokeDevice } from '../auth/devices.js';
import { adminTarget, fail } from './admin-target.js';

const usage = 'usage: npm run device:revoke -- <device_id>';

const { positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, strict: false });
const id = DeviceId.safeParse(positionals[0]);
if (!id.success || positionals.length !== 1) {
  fail(`${id.success ? 'give exactly one device id' : `device_id: ${id.error.issues[0]?.message}`}\n${usage}`, 2);
}
const deviceId = id.data;

const report = (outcome: string, revokedAt: string, where: string) =>
  console.log(
    outcome === 'already_revoked'
      ? `${deviceId} was already revoked (since ${revokedAt}) in ${where}`
      : `revoked ${deviceId} in ${where}: its token is refused from now on`,
  );

const target = await adminTarget();
if (target.kind === 'server') {
  const { status, body } = await target.call(`/devices/${encodeURIComponent(deviceId)}/revoke`, {});
  if (status === 404) fail(`no device ${deviceId} is enrolled in ${target.where}`);
  if (status !== 200) fail(`the sync server refused: ${typeof body.error === 'string' ? body.error : status}`);
  report(body.already_revoked ? 'already_revoked' : 'revoked', String(body.revoked_at), target.where);
} else {
  const result = await revokeDevice(target.database.db, deviceId).finally(() => target.database.close());
  if (result.outcome === 'unknown') fail(`no device ${deviceId} is enrolled in ${target.where}`);
  report(result.outcome, result.revoked_at.toISOString(), target.where);
}
