// `npm run device:add -- <device_id> --role manager|store`: enrolls a device (or gives an
// enrolled one a new token) in the database given by DATABASE_URL, else the embedded default
// (DATA_DIR or .data/server) — through the running server when one holds that folder. The token
// is printed alone on the last line, for scripts.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { deviceId as DeviceId, DeviceRole } from '../../shared/protocol/sync.js';
import { enrollDevice } from '../auth/devices.js';
import { DEFAULT_DATA_DIR, openDatabase } from '../db/client.js';
import { embeddedOwner } from '../db/embedded-lock.js';
import { ADMIN_SECRET_HEADER } from '../http/admin.js';

const usage = 'usage: npm run device:add -- <device_id> --role manager|store';

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { role: { type: 'string' } },
  allowPositionals: true,
  strict: false,
});
const args = z
  .object({ deviceId: DeviceId, role: DeviceRole })
  .safeParse({ deviceId: positionals[0], role: values.role });
if (!args.success || positionals.length !== 1) {
  const why = args.success ? 'give exactly one device id' : args.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ');
  console.error(`${why}\n${usage}`);
  process.exit(2);
}

const dataDir = path.resolve(process.env.DATA_DIR || DEFAULT_DATA_DIR);
const print = (token: string, where: string) => {
  console.log(`enrolled ${args.data.deviceId} as ${args.data.role} in ${where}`);
  console.log('token (shown once; send it as Authorization: Bearer <token>):');
  console.log(token);
};

const owner = process.env.DATABASE_URL ? null : embeddedOwner(dataDir);
if (owner?.url && owner.admin_secret) {
  // A server has the embedded folder open: only it may write there, so ask it to enroll.
  const response = await fetch(`${owner.url}/api/v1/admin/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [ADMIN_SECRET_HEADER]: owner.admin_secret },
    body: JSON.stringify({ device_id: args.data.deviceId, role: args.data.role }),
  }).catch((error: Error) => {
    console.error(`the sync server at ${owner.url} holds ${dataDir} but does not answer: ${error.message}`);
    process.exit(1);
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || !body.token) {
    console.error(`the sync server refused: ${body.error ?? response.status}`);
    process.exit(1);
  }
  print(body.token, `the running sync server's embedded database (${dataDir})`);
} else {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir }).catch(
    (error: Error) => {
      console.error(`cannot open the server database: ${error.message}`);
      process.exit(1);
    },
  );
  try {
    print(await enrollDevice(database.db, args.data.deviceId, args.data.role), `${database.kind} (${database.location})`);
  } finally {
    await database.close();
  }
}
