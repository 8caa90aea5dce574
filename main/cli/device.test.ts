// The headless device CLI as a user runs it (a real process, a real SQLite folder, the real
// server on PostgreSQL): the seed's Example 2 (complete a submission, pushed at once) and
// Example 3 (offline submissions queued, pushed in order once the server is back).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/testing/test-server.js';
import { openLocalStore } from '../db/client.js';
import { writeLocal } from '../db/outbox.js';
import { make, ProtocolTestClient } from '../../server/testing/sync-client.js';
import { ServerDb } from '../sync/testing/devices.js';

let server: TestServer;
let serverDb: ServerDb;
let folder: string;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'silent' });
  serverDb = new ServerDb(server.databaseUrl);
  folder = mkdtempSync(join(tmpdir(), 'insight-cli-'));
});
afterAll(async () => {
  await serverDb.close();
  await server.dispose();
  rmSync(folder, { recursive: true, force: true });
});

function device(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/device.ts', ...args], { cwd: process.cwd() });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const completed = async () =>
  (
    await serverDb.query<{ store_id: string }>(
      "select store_id from submissions where status = 'completed' order by server_version",
    )
  ).map((row) => row.store_id);

describe('device CLI', () => {
  it('runs the seed Examples 2 and 3 against the server', async () => {
    const managerToken = await server.enroll('cli-mac', 'manager');
    const storeToken = await server.enroll('cli-iphone', 'store');
    const mac = ['--data', join(folder, 'mac')];
    const iphone = ['--data', join(folder, 'iphone')];

    const created = await device([
      ...mac,
      '--server',
      server.url,
      '--device',
      'cli-mac',
      '--token',
      managerToken,
      'create-form',
      '--title',
      'Opening checklist',
      '--field',
      'Doors open:boolean:required',
      '--field',
      'Customers waiting:number',
      '--field',
      'Shift:choice(early|late)',
    ]);
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    expect(created.out).toContain('connected: device cli-mac (manager)');
    expect(created.out).toContain('pushed 4 change(s)');

    // The stores a --store code is checked against: one the manager adds here, two another
    // manager added (as on the Stores screen).
    const added = await device([...mac, 'create-store', '--code', 'S001', '--name', 'Downtown', '--region', 'Centre']);
    expect(added.code).toBe(0);
    expect(added.out).toContain('added store S001 "Downtown" (Centre)');
    expect(added.out).toContain('pushed 1 change(s)');
    const taken = await device([...mac, 'create-store', '--code', 'S001', '--name', 'Again']);
    expect(taken.code).toBe(2);
    expect(taken.err).toContain('create-store: The code S001 is already used by Downtown; choose another code');
    const admin = new ProtocolTestClient(server.url, 'cli-admin', await server.enroll('cli-admin', 'manager'));
    expect((await admin.push({ stores: [make.store('S002'), make.store('S003')] })).status).toBe(200);

    // Example 2: the store completes the form; it reaches the server at once.
    const submitted = await device([
      ...iphone,
      '--server',
      server.url,
      '--device',
      'cli-iphone',
      '--token',
      storeToken,
      'submit',
      '--form',
      'opening checklist',
      '--store',
      'S001',
      '--answers',
      '{"Customers waiting": 4}',
    ]);
    expect(submitted.code).toBe(0);
    expect(submitted.out).toContain('Customers waiting: 4');
    expect(submitted.out).toContain('Shift: "early"');
    expect(submitted.out).toContain('pushed 5 change(s)');
    expect(await completed()).toEqual(['S001']);
    // A code that is not one of the stores is refused before anything is written.
    const unknown = await device([...iphone, 'submit', '--form', 'Opening checklist', '--store', 'S01']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--store: Unknown store "S01"; known stores: S001, S002, S003');
    expect(unknown.out).not.toContain('completed submission');

    // Example 3: offline, two more are completed and queued; the sync fails and keeps them.
    await server.stop();
    expect(
      (await device([...iphone, 'submit', '--offline', '--form', 'Opening checklist', '--store', 'S002'])).out,
    ).toContain('5 change(s) waiting');
    expect(
      (await device([...iphone, 'submit', '--offline', '--form', 'Opening checklist', '--store', 'S003'])).out,
    ).toContain('10 change(s) waiting');
    const failed = await device([...iphone, 'sync']);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('Cannot reach the sync server');
    expect(failed.out).toContain('10 change(s) stay queued');

    await server.start();
    const drained = await device([...iphone, 'sync']);
    expect(drained.code).toBe(0);
    expect(drained.out).toContain('pushed 10 change(s)');
    expect(await completed()).toEqual(['S001', 'S002', 'S003']);

    // The manager pulls and sees every completion.
    const pulled = await device([...mac, 'sync']);
    expect(pulled.code).toBe(0);
    const listed = await device([...mac, 'list', 'submissions']);
    expect(
      listed.out
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { store_id: string }).store_id)
        .sort(),
    ).toEqual(['S001', 'S002', 'S003']);
    // status counts the live rows and shows the pull cursor each table reached.
    const shown = await device([...mac, 'status']);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/submissions\s+3 row\(s\)\s+cursor [\d.]+/);
  }, 180_000); // ten CLI processes, each starting tsx

  it('takes the saved address spelled with spaces or a trailing slash as the same server (no new connection check)', async () => {
    const token = await server.enroll('cli-spelling', 'store');
    const data = ['--data', join(folder, 'spelling'), '--device', 'cli-spelling', '--token', token];
    const first = await device([...data, '--server', server.url, 'status']);
    expect(first.out).toContain('connected: device cli-spelling (store)');
    // The same server, written as a person pastes it: the saved connection is kept as it is.
    const again = await device([...data, '--server', ` ${server.url}/ `, 'status']);
    expect(again.code).toBe(0);
    expect(again.out).not.toContain('connected:');
  });

  it('says what is wrong and exits non-zero on bad usage or a wrong token', async () => {
    const wrongToken = await device([
      '--data',
      join(folder, 'wrong'),
      '--server',
      server.url,
      '--device',
      'cli-x',
      '--token',
      'nope',
      'status',
    ]);
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.err).toContain('does not accept this device token');
    const badTable = await device(['--data', join(folder, 'mac'), 'list', 'passwords']);
    expect(badTable.code).toBe(2);
    expect(badTable.err).toContain('list needs a table');
  });

  it('exits 1 when the server refused a change of the sync, and says where to look', async () => {
    const token = await server.enroll('cli-refused', 'store');
    const data = join(folder, 'refused');
    expect(
      (await device(['--data', data, '--server', server.url, '--device', 'cli-refused', '--token', token, 'status']))
        .code,
    ).toBe(0);
    // A store device may not write forms: the server refuses this change for good (403).
    const store = openLocalStore(join(data, 'insight-device.sqlite'));
    writeLocal(
      store,
      'forms',
      { id: crypto.randomUUID(), title: 'Not mine to write', updated_at: new Date().toISOString() },
      'INSERT',
    );
    store.close();
    const synced = await device(['--data', data, 'sync']);
    expect(synced.out).toContain('1 refused by the server');
    expect(synced.err).toContain('refused');
    expect(synced.code).toBe(1);
  }, 60_000);

  it('loop exits 1 when the sync after a submission fails', async () => {
    const managerToken = await server.enroll('cli-loop-mac', 'manager');
    const storeToken = await server.enroll('cli-loop-iphone', 'store');
    const mac = ['--data', join(folder, 'loop-mac')];
    const iphone = ['--data', join(folder, 'loop-iphone')];
    expect(
      (
        await device([
          ...mac,
          '--server',
          server.url,
          '--device',
          'cli-loop-mac',
          '--token',
          managerToken,
          'create-form',
          '--title',
          'Loop form',
          '--field',
          'Note:text',
        ])
      ).code,
    ).toBe(0);
    expect(
      (await device([...iphone, '--server', server.url, '--device', 'cli-loop-iphone', '--token', storeToken, 'sync']))
        .code,
    ).toBe(0);
    // A KPI the store will pull, and a local store that cannot take it (a real SQLite failure).
    const macStore = openLocalStore(join(folder, 'loop-mac', 'insight-device.sqlite'));
    writeLocal(
      macStore,
      'kpi_data',
      { id: crypto.randomUUID(), metric: 'loop', value: 1, updated_at: new Date().toISOString() },
      'INSERT',
    );
    macStore.close();
    expect((await device([...mac, 'sync'])).code).toBe(0);
    const iphoneStore = openLocalStore(join(folder, 'loop-iphone', 'insight-device.sqlite'));
    iphoneStore.sqlite.exec(
      "CREATE TRIGGER no_kpis BEFORE INSERT ON kpi_data BEGIN SELECT RAISE(ABORT, 'disk trouble'); END",
    );
    iphoneStore.close();

    const looped = await device([
      ...iphone,
      'loop',
      '--every',
      '0',
      '--count',
      '1',
      '--form',
      'Loop form',
      '--answers',
      '{"Note": "ok"}',
    ]);
    expect(looped.out).toContain('pushed');
    expect(looped.err).toContain('disk trouble');
    expect(looped.out).toContain('0/1 round(s) synced');
    expect(looped.code).toBe(1);
  }, 90_000);
});
