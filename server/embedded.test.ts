// The embedded default: with no DATABASE_URL, device:add and the server keep their data in PGlite
// in a folder, migrations applied; and device:add against a real PostgreSQL. The seed's push
// payload (server/test_data/push_payload.json) is what the README's curl example posts.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ProtocolTestClient } from './testing/sync-client.js';
import { createTestDatabase, startTestServer } from './testing/test-server.js';
import { startServer } from './start.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const payload = JSON.parse(readFileSync(path.join(root, 'server/test_data/push_payload.json'), 'utf8'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'insight-server-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// A fresh PGlite folder runs initdb in WASM: seconds on an idle machine, far more on a busy one.
const EMBEDDED_TIMEOUT = 240_000;

/** `npm run device:add -- <id> --role <role>`, as a user runs it; returns its output lines. */
const deviceAdd = (args: string[], env: Record<string, string | undefined>) => deviceCli('device-add.ts', args, env);

async function deviceCli(file: string, args: string[], env: Record<string, string | undefined>) {
  const { DATABASE_URL: _, DATA_DIR: __, ...rest } = process.env;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `server/cli/${file}`, ...args], {
    cwd: root,
    env: { ...rest, ...env },
  });
  return stdout.trim().split('\n');
}

describe('the embedded PGlite default', () => {
  it(
    'enrolls devices (server running or not), serves the seed push and pull, and keeps the data across restarts',
    async () => {
      let server = await startServer({ port: 0, dataDir, logLevel: 'silent' });
      try {
        // The server holds the folder: device:add enrolls through it instead of opening it twice.
        // The payload is the manager's (it brings the form its submission names): the device npm start enrolls.
        const token = (await deviceAdd(['store-manager', '--role', 'manager'], { DATA_DIR: dataDir })).at(-1)!;
        expect(token).toMatch(/^isk_[A-Za-z0-9_-]{43}$/);
        const client = new ProtocolTestClient(server.url, 'store-manager', token);
        const first = await client.post('/api/v1/sync/push', payload);
        expect(first.status).toBe(200);
        expect(first.body.rejected).toEqual([]);
        expect(first.body.applied.submissions[0]).toMatchObject({
          id: payload.changes.submissions[0].id,
          status: 'completed',
        });
        const retry = await client.post('/api/v1/sync/push', payload);
        expect(retry.body.duplicates).toBe(5);
        const status = await (await fetch(`${server.url}/api/v1/sync/status`)).json();
        expect(status).toMatchObject({ status: 'online', active_devices: 1 });
        expect(status.last_sync['store-manager']).toEqual(expect.any(String));
        // The enrollment route wants the secret from the data folder.
        const guess = await fetch(`${server.url}/api/v1/admin/devices`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ device_id: 'intruder', role: 'manager' }),
        });
        expect(guess.status).toBe(401);
        // Re-adding asks for --force; revoking goes through the server too, and ends the token at once.
        await expect(deviceAdd(['store-manager', '--role', 'manager'], { DATA_DIR: dataDir })).rejects.toThrow(
          /already enrolled.*--force/s,
        );
        const revoked = await deviceCli('device-revoke.ts', ['store-manager'], { DATA_DIR: dataDir });
        expect(revoked.join('\n')).toMatch(/revoked store-manager in the running sync server's embedded database/);
        expect((await client.post('/api/v1/sync/push', payload)).status).toBe(401);
      } finally {
        await server.close();
      }

      // Server stopped: device:add opens the folder itself.
      const managerToken = (await deviceAdd(['store-manager-mac-001', '--role', 'manager'], { DATA_DIR: dataDir })).at(
        -1,
      )!;

      server = await startServer({ port: 0, dataDir, logLevel: 'silent' });
      try {
        const manager = new ProtocolTestClient(server.url, 'store-manager-mac-001', managerToken);
        const pulled = await manager.pullAll();
        const pushed = Object.values(payload.changes as Record<string, { id: string }[]>)
          .flat()
          .map((row) => row.id);
        expect(pulled.rows.map((r) => r.id).sort()).toEqual(pushed.sort());
      } finally {
        await server.close();
      }
    },
    EMBEDDED_TIMEOUT,
  );

  it(
    'refuses to open a data folder another live process holds',
    async () => {
      const server = await startServer({ port: 0, dataDir, logLevel: 'silent' });
      try {
        // Same process here, so fake another owner by rewriting the lock with the parent's pid.
        const lock = path.join(dataDir, 'server.json');
        const saved = readFileSync(lock, 'utf8');
        writeFileSync(lock, JSON.stringify({ pid: process.ppid }));
        await expect(startServer({ port: 0, dataDir, logLevel: 'silent' })).rejects.toThrow(/in use by process/);
        writeFileSync(lock, saved);
      } finally {
        await server.close();
      }
    },
    EMBEDDED_TIMEOUT,
  );
});

describe('`npm run server` on a folder another server holds', () => {
  it(
    'says what to do in one line and prints no secret',
    async () => {
      const { DATABASE_URL: _, DATA_DIR: __, ...rest } = process.env;
      const env = { ...rest, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' };
      const first = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        await new Promise<void>((resolve, reject) => {
          let output = '';
          first.stdout.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes('sync server listening')) resolve();
          });
          first.once('exit', (code) => reject(new Error(`the first server exited with ${code}`)));
        });
        const lock = JSON.parse(readFileSync(path.join(dataDir, 'server.json'), 'utf8'));
        expect(lock.admin_secret).toEqual(expect.any(String));

        const second = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
          cwd: root,
          env,
        }).then(
          () => null,
          (error: { code: number; stdout: string; stderr: string }) => error,
        );
        expect(second, 'the second server must not start').not.toBeNull();
        expect(second!.code).toBe(1);
        const lines = (second!.stdout + second!.stderr).split('\n').filter((line) => line.trim() !== '');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(`in use by process ${first.pid}`);
        expect(lines[0]).toContain('stop it first, or use DATABASE_URL');
        expect(lines[0]).not.toContain(lock.admin_secret);
        expect(lines[0]).not.toMatch(/admin_secret|isk_/);
      } finally {
        const exited = new Promise((resolve) => first.once('exit', resolve));
        first.kill('SIGTERM');
        await exited;
      }
    },
    EMBEDDED_TIMEOUT,
  );
});

describe('device:add against PostgreSQL', () => {
  it('prints the token alone on the last line, and a re-key (--force) retires the old token', async () => {
    const database = await createTestDatabase('device_add');
    try {
      const first = (await deviceAdd(['mac-001', '--role', 'manager'], { DATABASE_URL: database.url })).at(-1)!;
      const second = (await deviceAdd(['mac-001', '--role', 'manager', '--force'], { DATABASE_URL: database.url })).at(
        -1,
      )!;
      expect(second).not.toBe(first);
      const server = await startTestServer({ databaseUrl: database.url });
      try {
        expect((await new ProtocolTestClient(server.url, 'mac-001', second).pull()).status).toBe(200);
        expect((await new ProtocolTestClient(server.url, 'mac-001', first).pull()).status).toBe(401);
      } finally {
        // dispose, not stop: stop keeps the pool open, and the forced drop below would cut it.
        await server.dispose();
      }
    } finally {
      await database.drop();
    }
  });

  it('gives a store device its store, refuses a store device without one and a manager with one, and device:scope moves it', async () => {
    const database = await createTestDatabase('device_store');
    const env = { DATABASE_URL: database.url };
    try {
      await expect(deviceAdd(['phone-001', '--role', 'store'], env)).rejects.toThrow(
        /a store device belongs to one store: give --store <code>.*usage: npm run device:add/s,
      );
      await expect(deviceAdd(['mac-001', '--role', 'manager', '--store', 'S001'], env)).rejects.toThrow(
        /a manager device sees every store and belongs to none/,
      );
      const added = await deviceAdd(['phone-001', '--role', 'store', '--store', 'S001'], env);
      expect(added[0]).toMatch(/^enrolled phone-001 as store of store S001 in /);
      const moved = await deviceCli('device-scope.ts', ['phone-001', '--store', 'S002'], env);
      expect(moved[0]).toMatch(/^moved phone-001 from S001 to store S002 in .*: its next sync brings S002's rows/);
      const again = await deviceCli('device-scope.ts', ['phone-001', '--store', 'S002'], env);
      expect(again[0]).toMatch(/^phone-001 already belongs to store S002/);
      await expect(deviceCli('device-scope.ts', ['no-such-phone', '--store', 'S002'], env)).rejects.toThrow(
        /no device no-such-phone is enrolled/,
      );
      await expect(deviceCli('device-scope.ts', ['phone-001'], env)).rejects.toThrow(
        /store: .*\n.*usage: npm run device:scope -- <device_id> --store <code>/s,
      );
    } finally {
      await database.drop();
    }
  }, 90_000);

  it('refuses a bad role with usage help', async () => {
    await expect(deviceAdd(['mac-001', '--role', 'admin'], { DATA_DIR: dataDir })).rejects.toThrow(
      /role.*\n.*usage: npm run device:add/s,
    );
  });
});
