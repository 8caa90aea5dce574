// Figures for a large initial sync (issue: "a 100k-row initial sync never builds one giant
// response or loads the table into memory"). Seeds ROWS rows straight into kpi_data on a fresh
// PostgreSQL database, then pulls them all page by page as a new device would, and prints the
// time, the pages, the largest response and the server process's peak RSS growth.
//   npx tsx server/bench/initial-sync.ts [rows=100000] [limit=5000]
import pg from 'pg';
import type { PullResponse } from '../../shared/protocol/sync.js';
import { ProtocolTestClient } from '../testing/sync-client.js';
import { startTestServer } from '../testing/test-server.js';

const rows = Number(process.argv[2] ?? 100_000);
const limit = Number(process.argv[3] ?? 5000);

const server = await startTestServer();
try {
  const db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  let started = Date.now();
  await db.query(
    `insert into kpi_data (id, updated_at, metric, value, store_id, period, written_by)
     select gen_random_uuid(), now(), 'daily_sales', n, 'store-001', '2025-12-18', 'seed' from generate_series(1, $1) n`,
    [rows],
  );
  await db.query('analyze kpi_data');
  await db.end();
  console.log(`seeded ${rows} rows in ${Date.now() - started} ms`);

  const device = new ProtocolTestClient(server.url, 'mac-bench', await server.enroll('mac-bench', 'manager'));
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let cursor: string | null = null;
  let pages = 0;
  let received = 0;
  let largest = 0;
  started = Date.now();
  for (;;) {
    const response = await fetch(`${server.url}/api/v1/sync/pull`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${device.token}`,
        'accept-encoding': 'gzip',
      },
      body: JSON.stringify({ device_id: device.deviceId, cursor, limit }),
    });
    const text = await response.text();
    largest = Math.max(largest, text.length);
    // Typed, not parsed: a zod parse of every page would be timed as part of the server's figure.
    const body = JSON.parse(text) as PullResponse;
    pages += 1;
    received += Object.values(body.changes).reduce((n, list) => n + list.length, 0);
    cursor = body.cursor;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (!body.has_more) break;
  }
  const ms = Date.now() - started;
  console.log(
    `pulled ${received} rows in ${pages} pages of ≤${limit}: ${ms} ms (${Math.round((received / ms) * 1000)} rows/s); ` +
      `largest page ${(largest / 1e6).toFixed(1)} MB uncompressed; peak RSS growth ${((peakRss - rssBefore) / 1e6).toFixed(0)} MB ` +
      '(server and client share this process)',
  );
} finally {
  await server.dispose();
}
