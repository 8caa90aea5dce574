// The server's connection pool is small by default (twice the cores, DATABASE_POOL_SIZE to
// change it): a request beyond it waits for a free connection. That is only safe if no request
// ever holds one connection while it waits for a second; with a pool of one, such a request would
// wait for itself forever. Here a server with a single connection serves many devices pushing
// and pulling at once, and a bad DATABASE_POOL_SIZE is refused before the server starts.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make, parentsFor, ProtocolTestClient } from '../testing/sync-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

let server: TestServer;
let manager: ProtocolTestClient;

beforeAll(async () => {
  server = await startTestServer({ poolSize: 1 });
  manager = new ProtocolTestClient(server.url, 'pool-manager', await server.enroll('pool-manager', 'manager'));
});
afterAll(async () => {
  await server?.dispose();
});

describe('a server holding one database connection', () => {
  it('answers eight devices pushing and pulling at once, every push applied once', async () => {
    const { form_id, field_id } = await parentsFor(manager);
    const devices = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const id = `pool-store-${i}`;
        return new ProtocolTestClient(server.url, id, await server.enroll(id, 'store'));
      }),
    );
    const pushed = devices.map(() => {
      const submission = make.submission({ form_id, status: 'completed' });
      const answer = make.answer(submission.id, { field_id });
      return { submission, answer };
    });
    const replies = await Promise.all([
      ...devices.map((device, i) =>
        device.push({ submissions: [pushed[i]!.submission], submission_answers: [pushed[i]!.answer] }),
      ),
      ...devices.map((device) => device.pull({ cursor: null })),
      manager.pull({ cursor: null }),
    ]);
    expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 200));

    const { rows } = await manager.pullAll();
    const landed = new Set(rows.map((row) => row.id));
    for (const { submission, answer } of pushed) {
      expect(landed.has(submission.id)).toBe(true);
      expect(landed.has(answer.id)).toBe(true);
    }
  });
});

describe('DATABASE_POOL_SIZE', () => {
  it('refuses a value that is not a whole number from 1 to 1000, naming it, and does not start', async () => {
    for (const value of ['0', 'ten', '2.5']) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env: { ...process.env, PORT: '0', DATABASE_URL: server.databaseUrl, DATABASE_POOL_SIZE: value },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain('DATABASE_POOL_SIZE must be a whole number from 1 to 1000');
    }
  });
});
