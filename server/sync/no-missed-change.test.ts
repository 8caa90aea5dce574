// Invariant 1: a reader that keeps passing back the cursor it was given ends with exactly every
// row, while several devices push at once, through one server process and through two.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { enrollDevice } from '../auth/devices.js';
import { openDatabase } from '../db/client.js';
import { make, SyncClient } from '../testing/sync-client.js';
import { createTestDatabase, startTestServer, type TestDatabase } from '../testing/test-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const PUSHERS = 4;
const PUSHES_EACH = 6;
const ROWS_PER_PUSH = 700; // more than one upsert statement: a push stays open a while

/**
 * Runs the pushers and one reader until the pushers are done, then drains the reader.
 * `urls[i % urls.length]` spreads the devices over the server processes.
 */
async function race(urls: string[], tokens: { id: string; token: string }[], reader: { id: string; token: string }) {
  const pushed = new Set<string>();
  const seen: string[] = [];
  let cursor: string | null = null;
  let done = false;
  let readerPulls = 0;

  const readerClients = urls.map((url) => new SyncClient(url, reader.id, reader.token));
  const pullOnce = async () => {
    const client = readerClients[readerPulls++ % readerClients.length]!;
    const reply = await client.pull({ cursor, tables: ['kpi_data', 'submissions'], limit: 250 });
    expect(reply.status).toBe(200);
    for (const rows of Object.values(reply.body.changes as Record<string, { id: string }[]>)) for (const row of rows) seen.push(row.id);
    cursor = reply.body.cursor;
    return reply.body.has_more as boolean;
  };

  const pushers = tokens.map(async ({ id, token }, i) => {
    const client = new SyncClient(urls[i % urls.length]!, id, token);
    for (let n = 0; n < PUSHES_EACH; n++) {
      const kpis = Array.from({ length: ROWS_PER_PUSH }, () => make.kpi());
      const subs = Array.from({ length: 20 }, () => make.submission());
      const reply = await client.push({ submissions: subs, kpi_data: kpis });
      expect(reply.status).toBe(200);
      for (const row of [...kpis, ...subs]) pushed.add(row.id);
    }
  });
  const readerLoop = (async () => {
    while (!done) await pullOnce();
  })();
  await Promise.all(pushers);
  done = true;
  await readerLoop;
  while (await pullOnce());

  expect(seen.length).toBe(pushed.size);
  expect(new Set(seen)).toEqual(pushed);
  return { readerPulls };
}

describe('no missed change (invariant 1)', () => {
  it('a reader pulling all along ends with exactly every row pushed by concurrent devices', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.dispose());
    const devices = await Promise.all(
      Array.from({ length: PUSHERS }, async (_, i) => ({ id: `store-${i}`, token: await server.enroll(`store-${i}`, 'store') })),
    );
    const reader = { id: 'mac-reader', token: await server.enroll('mac-reader', 'manager') };
    const { readerPulls } = await race([server.url], devices, reader);
    expect(readerPulls).toBeGreaterThan(1);
  });

  it('holds with two server processes on one database', async () => {
    const database: TestDatabase = await createTestDatabase('two_servers');
    cleanups.push(() => database.drop());
    // Both start at once on the empty database: migrations must not trip over each other.
    const urls = await Promise.all([spawnServer(database.url), spawnServer(database.url)]);
    const admin = await openDatabase({ databaseUrl: database.url });
    cleanups.push(() => admin.close());
    const devices = await Promise.all(
      Array.from({ length: PUSHERS }, async (_, i) => ({ id: `store-${i}`, token: await enrollDevice(admin.db, `store-${i}`, 'store') })),
    );
    const reader = { id: 'mac-reader', token: await enrollDevice(admin.db, 'mac-reader', 'manager') };
    await race(urls, devices, reader);
  });
});

/** `tsx server/main.ts` in its own process on a free port; resolves with its URL. */
async function spawnServer(databaseUrl: string): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'sync server listening') resolve(`http://127.0.0.1:${entry.port}`);
      } catch {
        // not a log line
      }
    });
  });
}
