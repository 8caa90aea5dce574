// Invariant 1: a reader that keeps passing back the cursor, or only the timestamp (a seed client),
// it was given ends with exactly every row, while several devices push at once, through one server
// process and through two; and a seed client pages a large delta by timestamp alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { enrollDevice } from '../auth/devices.js';
import { openDatabase } from '../db/client.js';
import { make, parentsFor, ProtocolTestClient } from '../testing/sync-client.js';
import { createTestDatabase, startTestServer, type TestDatabase } from '../testing/test-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

type Device = { id: string; token: string };
type Resume = 'cursor' | 'timestamp';

/**
 * Runs the pushers and the readers until the pushers are done, then drains each reader.
 * `urls[i % urls.length]` spreads the devices (and each reader's pulls) over the server processes.
 * A reader passes back either the `cursor` or, like a seed client, only the `timestamp`.
 */
async function race(
  urls: string[],
  devices: Device[],
  readers: { device: Device; resume: Resume }[],
  opts: { pushesEach: number; kpisPerPush: number; submissionsPerPush: number; form_id: string },
) {
  const pushed = new Set<string>();
  let done = false;

  const readerRuns = readers.map(async ({ device, resume }) => {
    const seen: string[] = [];
    let position: string | null = null;
    let pulls = 0;
    const clients = urls.map((url) => new ProtocolTestClient(url, device.id, device.token));
    const pullOnce = async () => {
      const client = clients[pulls++ % clients.length]!;
      const reply = await client.pull({
        ...(resume === 'cursor' ? { cursor: position } : { last_sync_timestamp: position }),
        tables: ['kpi_data', 'submissions'],
        limit: 250,
      });
      expect(reply.status).toBe(200);
      for (const rows of Object.values(reply.body.changes as Record<string, { id: string }[]>))
        for (const row of rows) seen.push(row.id);
      position = resume === 'cursor' ? reply.body.cursor : reply.body.timestamp;
      return reply.body.has_more as boolean;
    };
    while (!done) {
      await pullOnce();
      // A breath between pulls: the pushers share the machine (no timing is asserted).
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    while (await pullOnce());
    return { resume, seen, pulls };
  });

  await Promise.all(
    devices.map(async ({ id, token }, i) => {
      const client = new ProtocolTestClient(urls[i % urls.length]!, id, token);
      for (let n = 0; n < opts.pushesEach; n++) {
        const kpis = Array.from({ length: opts.kpisPerPush }, () => make.kpi());
        const subs = Array.from({ length: opts.submissionsPerPush }, () => make.submission({ form_id: opts.form_id }));
        const reply = await client.push({ submissions: subs, kpi_data: kpis });
        expect(reply.status).toBe(200);
        expect(reply.body.rejected).toEqual([]);
        for (const row of [...kpis, ...subs]) pushed.add(row.id);
      }
    }),
  );
  done = true;
  const results = await Promise.all(readerRuns);
  for (const { resume, seen, pulls } of results) {
    const got = new Set(seen);
    // Named by the reader's mode, so a failure says which way of resuming missed rows.
    expect({ resume, missed: [...pushed].filter((id) => !got.has(id)).length }).toEqual({ resume, missed: 0 });
    expect({ resume, rows: seen.length }).toEqual({ resume, rows: pushed.size });
    expect(pulls).toBeGreaterThan(2);
  }
  return { rows: pushed.size };
}

// The issue's race: 8 devices push 12-row batches through two server processes while a reader
// pulls all along. Before positions, a reader passing back only `timestamp` missed ~2,000 of 2,400.
const ISSUE_RACE = { pushesEach: 25, kpisPerPush: 10, submissionsPerPush: 2 };

describe('no missed change (invariant 1)', () => {
  it('readers passing back only last_sync_timestamp, or the cursor, miss none of 2,400 rows pushed through two server processes', async () => {
    const database: TestDatabase = await createTestDatabase('race');
    cleanups.push(() => database.drop());
    // Both start at once on the empty database: migrations must not trip over each other.
    const urls = await Promise.all([spawnServer(database.url), spawnServer(database.url)]);
    const admin = await openDatabase({ databaseUrl: database.url });
    cleanups.push(() => admin.close());
    const enroll = (id: string, role: 'store' | 'manager') =>
      enrollDevice(admin.db, id, role).then((token) => ({ id, token }));
    const devices = await Promise.all(Array.from({ length: 8 }, (_, i) => enroll(`store-${i}`, 'store')));
    const seedReader = await enroll('seed-reader', 'manager');
    const cursorReader = await enroll('cursor-reader', 'manager');
    const { form_id } = await parentsFor(new ProtocolTestClient(urls[0], seedReader.id, seedReader.token));
    const readers = [
      { device: seedReader, resume: 'timestamp' as const },
      { device: cursorReader, resume: 'cursor' as const },
    ];
    const { rows } = await race(urls, devices, readers, { form_id, ...ISSUE_RACE });
    expect(rows).toBe(2400);
  }, 180_000);

  it('holds with pushes large enough to span several statements, on one server process', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.dispose());
    const devices = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => ({
        id: `store-${i}`,
        token: await server.enroll(`store-${i}`, 'store'),
      })),
    );
    const reader = { id: 'mac-reader', token: await server.enroll('mac-reader', 'manager') };
    const { form_id } = await parentsFor(new ProtocolTestClient(server.url, reader.id, reader.token));
    // 1,200 rows a push: more than one upsert statement, so a push stays open a while.
    await race([server.url], devices, [{ device: reader, resume: 'timestamp' }], {
      form_id,
      pushesEach: 1,
      kpisPerPush: 1200,
      submissionsPerPush: 20,
    });
  }, 120_000);

  it("pages a 1,500-row delta for a seed client: each page's timestamp resumes where the page ended", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.dispose());
    const store = new ProtocolTestClient(server.url, 'store-001', await server.enroll('store-001', 'store'));
    const seed = new ProtocolTestClient(server.url, 'seed-001', await server.enroll('seed-001', 'store'));
    await store.push({ kpi_data: [make.kpi()] });
    let timestamp = (await seed.pull({ tables: ['kpi_data'] })).body.timestamp as string;
    const kpis = Array.from({ length: 1500 }, () => make.kpi());
    expect((await store.push({ kpi_data: kpis })).status).toBe(200);

    const got: string[] = [];
    const pages: boolean[] = [];
    for (;;) {
      const reply = await seed.pull({ last_sync_timestamp: timestamp, tables: ['kpi_data'] });
      got.push(...reply.body.changes.kpi_data.map((row: { id: string }) => row.id));
      pages.push(reply.body.has_more);
      timestamp = reply.body.timestamp;
      if (!reply.body.has_more) break;
    }
    expect(pages).toEqual([true, false]);
    expect(got).toHaveLength(1500);
    expect(new Set(got)).toEqual(new Set(kpis.map((k) => k.id)));
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
