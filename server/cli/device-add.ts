// `npm run device:add -- <device_id> --role manager|store`: enrolls a device (or gives an
// enrolled one a new token) in the database given by DATABASE_URL, else the embedded default
// (DATA_DIR or .data/server). The token is printed alone on the last line, for scripts.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { deviceId as DeviceId, DeviceRole } from '../../shared/protocol/sync.js';
import { enrollDevice } from '../auth/devices.js';
import { openDatabase } from '../db/client.js';

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

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR }).catch(
  (error: Error) => {
    console.error(`cannot open the server database: ${error.message}`);
    process.exit(1);
  },
);
try {
  const token = await enrollDevice(database.db, args.data.deviceId, args.data.role);
  console.log(`enrolled ${args.data.deviceId} as ${args.data.role} in ${database.kind} (${database.location})`);
  console.log('token (shown once; send it as Authorization: Bearer <token>):');
  console.log(token);
} finally {
  await database.close();
}
