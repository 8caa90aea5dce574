// Revoking a device (a lost store phone): `npm run device:revoke` and the manager's route end the
// token at once (the next request gets 401), the live-connection hook hears of it, and every
// step is in the device audit log. device:add refuses an enrolled id unless --force.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceRevocations } from '../auth/revocation.js';
import { createApp } from '../app.js';
import { openDatabase, type OpenDatabase } from '../db/client.js';
import { closeHttp, createLogger, DEFAULT_BODY_LIMIT, listen } from '../start.js';
import { enrollDevice } from '../auth/devices.js';
import { ProtocolTestClient } from '../testing/sync-client.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-server.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const root = fileURLToPath(new URL('../..', import.meta.url));
let database: TestDatabase;
let open: OpenDatabase;
let http: Server;
let url: string;
let sql: pg.Pool;
const revocations = new DeviceRevocations();
const heard: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase('revocation');
  open = await openDatabase({ databaseUrl: database.url });
  const app = createApp({ db: open.db, logger: createLogger('silent'), bodyLimit: DEFAULT_BODY_LIMIT, revocations });
  http = await listen(app, 0);
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  sql = new pg.Pool({ connectionString: database.url, max: 1 });
  revocations.onRevoked((id) => heard.push(id));
});
afterAll(async () => {
  await sql?.end();
  if (http) await closeHttp(http);
  await open?.close();
  await database?.drop();
});

/** Runs one of the server's npm scripts (server/cli/<file>) as a user would, on this test's database. */
async function cli(file: string, args: string[]) {
  const { DATA_DIR: _, ...env } = process.env;
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `server/cli/${file}`, ...args], {
      cwd: root,
      env: { ...env, DATABASE_URL: database.url },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

const auditOf = async (deviceId: string) =>
  (await sql.query('select action, actor from device_audit_log where device_id = $1 order by id', [deviceId])).rows;

describe('npm run device:revoke', () => {
  it('ends the token at once, says so, and records it; a second revoke changes nothing', async () => {
    const token = await enrollDevice(open.db, 'lost-phone-001', 'store');
    const phone = new ProtocolTestClient(url, 'lost-phone-001', token);
    expect((await phone.pull()).status).toBe(200);

    const revoked = await cli('device-revoke.ts', ['lost-phone-001']);
    expect(revoked).toMatchObject({
      code: 0,
      out: expect.stringMatching(/revoked lost-phone-001 .*refused from now on/),
    });
    const after = await phone.pull();
    expect(after.status).toBe(401);
    expect(after.body.error).toMatch(/unknown or revoked token/);

    const again = await cli('device-revoke.ts', ['lost-phone-001']);
    expect(again).toMatchObject({ code: 0, out: expect.stringMatching(/already revoked/) });
    expect(await auditOf('lost-phone-001')).toEqual([
      { action: 'enrolled', actor: 'cli' },
      { action: 'revoked', actor: 'cli' },
    ]);
  }, 60_000);

  it('names an unknown device and a malformed id', async () => {
    expect(await cli('device-revoke.ts', ['no-such-phone'])).toMatchObject({
      code: 1,
      out: expect.stringMatching(/no device no-such-phone is enrolled/),
    });
    expect(await cli('device-revoke.ts', ['bad id!'])).toMatchObject({
      code: 2,
      out: expect.stringMatching(/usage: npm run device:revoke/),
    });
  }, 60_000);
});

describe('npm run device:add for an enrolled id', () => {
  it('refuses without --force (the old token keeps working), replaces the token with it, and brings a revoked device back', async () => {
    const first = (await cli('device-add.ts', ['phone-rekey', '--role', 'store', '--store', 'S001'])).out
      .trim()
      .split('\n')
      .at(-1)!;
    const refused = await cli('device-add.ts', ['phone-rekey', '--role', 'store', '--store', 'S001']);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/already enrolled \(as store\).*replaces|new token.*--force/s);
    expect((await new ProtocolTestClient(url, 'phone-rekey', first).pull()).status).toBe(200);

    await cli('device-revoke.ts', ['phone-rekey']);
    const forced = await cli('device-add.ts', ['phone-rekey', '--role', 'store', '--store', 'S001', '--force']);
    expect(forced.out).toMatch(/old token replaced/);
    const second = forced.out.trim().split('\n').at(-1)!;
    expect((await new ProtocolTestClient(url, 'phone-rekey', first).pull()).status).toBe(401);
    expect((await new ProtocolTestClient(url, 'phone-rekey', second).pull()).status).toBe(200);
    expect((await auditOf('phone-rekey')).map((e) => e.action)).toEqual(['enrolled', 'revoked', 'rekeyed']);
  }, 90_000);
});

describe('POST /api/v1/devices/:id/revoke', () => {
  const revoke = (client: ProtocolTestClient, id: string) =>
    client.post(`/api/v1/devices/${encodeURIComponent(id)}/revoke`, {});

  it('lets a manager revoke a store device: 401 next, the live-connection hook hears it, audited with the manager as actor', async () => {
    const manager = new ProtocolTestClient(url, 'mac-revoker', await enrollDevice(open.db, 'mac-revoker', 'manager'));
    const phone = new ProtocolTestClient(url, 'phone-stolen', await enrollDevice(open.db, 'phone-stolen', 'store'));
    const reply = await revoke(manager, 'phone-stolen');
    expect(reply).toMatchObject({
      status: 200,
      body: { success: true, device_id: 'phone-stolen', already_revoked: false },
    });
    expect(heard).toContain('phone-stolen');
    expect((await phone.pull()).status).toBe(401);
    expect(await auditOf('phone-stolen')).toEqual([
      { action: 'enrolled', actor: 'cli' },
      { action: 'revoked', actor: 'mac-revoker' },
    ]);
    expect((await revoke(manager, 'phone-stolen')).body).toMatchObject({ already_revoked: true });
  });

  it('refuses a store device, an unknown id and a manager revoking itself, changing nothing', async () => {
    const store = new ProtocolTestClient(url, 'phone-rogue', await enrollDevice(open.db, 'phone-rogue', 'store'));
    const manager = new ProtocolTestClient(url, 'mac-self', await enrollDevice(open.db, 'mac-self', 'manager'));
    expect(await revoke(store, 'mac-self')).toMatchObject({
      status: 403,
      body: { error: expect.stringMatching(/only manager devices/) },
    });
    expect(await revoke(manager, 'nobody-here')).toMatchObject({
      status: 404,
      body: { error: 'no device nobody-here is enrolled' },
    });
    expect(await revoke(manager, 'mac-self')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/cannot revoke itself/) },
    });
    expect((await manager.pull()).status).toBe(200);
    expect((await store.pull()).status).toBe(200);
    expect(heard).not.toContain('mac-self');
  });
});
