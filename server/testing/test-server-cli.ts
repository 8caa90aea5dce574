// For suites that need the server in another process (e2e runners):
//   node --import tsx server/testing/test-server-cli.ts [--device <id>:<role>]...
// starts a test server on a fresh database (or DATABASE_URL), enrolls the given devices, and
// prints ONE JSON line: {"url","port","databaseUrl","tokens":{"<id>":"<token>"}}. SIGTERM or
// SIGINT stops it and drops the database it created. KEEP_ALIVE_TIMEOUT_MS shortens the server's
// keep-alive (tests of a client reusing a socket the server has closed).
import { parseArgs } from 'node:util';
import { Role } from '../../shared/tables.js';
import { startTestServer } from './test-server.js';

const { values } = parseArgs({ options: { device: { type: 'string', multiple: true } } });
const devices = (values.device ?? []).map((spec) => {
  const [id, role] = spec.split(':');
  return { id: id ?? '', role: Role.parse(role) };
});

const keepAlive = process.env.KEEP_ALIVE_TIMEOUT_MS;
const server = await startTestServer({
  databaseUrl: process.env.DATABASE_URL || undefined,
  keepAliveTimeoutMs: keepAlive ? Number(keepAlive) : undefined,
});
const tokens: Record<string, string> = {};
for (const device of devices) tokens[device.id] = await server.enroll(device.id, device.role);
process.stdout.write(
  JSON.stringify({ url: server.url, port: server.port, databaseUrl: server.databaseUrl, tokens }) + '\n',
);

const stop = async () => {
  await server.dispose();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
