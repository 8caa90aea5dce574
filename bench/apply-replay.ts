// The device's side of an initial sync, replayed in one process (issue 9): records the pages of a
// real pull (a fresh bench server seeded with `rows` rows, pulled through SyncEngine), then
// applies them again and again into fresh stores, alternating variants, with CPU and minor page
// faults per row for each. The server and the network are out of it, so two variants of the
// device's path compare with far less noise than two bench runs on a loaded machine.
//   npx tsx --expose-gc bench/apply-replay.ts [rows] [rounds] [page sizes, e.g. 4096,16384]
// Each round runs every variant once, in turn: `pull` decodes each page as the transport does
// (brotli at the server's quality 1, Latin-1 text, JSON.parse) and applies it
// as pull.ts does (pull-cache.ts widened, one commit per page); `raw` inserts the same rows with
// better-sqlite3 prepared INSERTs in one transaction, as bench/harness/baselines.ts does.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { PullResponse } from '../shared/protocol/sync.js';
import { inApplyOrder, isTableName, type TableName } from '../shared/tables.js';
import { openLocalStore, type LocalStore } from '../main/db/client.js';
import { SyncEngine } from '../main/sync/engine.js';
import { widenPageCache } from '../main/sync/pull-cache.js';
import { applyPulledPages, checkPage } from '../main/sync/pull-page.js';
import { nodeFetch } from '../main/sync/transport.js';
import { sqliteConverter, wireColumns } from '../main/db/rows.js';
import { seedServerRows } from './harness/seed.js';
import { connectedStoreDevice, startBenchServer } from './harness/server.js';
import { median } from './harness/workload.js';

const rows = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 6);
/** Page sizes to alternate (a comma-separated third argument); by default the store's own. */
const pageSizes: (number | null)[] = process.argv[4]?.split(',').map(Number) ?? [null];

/**
 * A fresh store; with `pageSize`, the file is created at that page size first (SQLite sets a page
 * size only on an empty file: openLocalStore then keeps it).
 */
function openStore(file: string, pageSize: number | null): LocalStore {
  if (pageSize !== null) {
    const created = new Database(file);
    created.pragma(`page_size = ${pageSize}`);
    created.pragma('journal_mode = WAL');
    created.close();
  }
  return openLocalStore(file);
}

/** The compressed bodies of every pull page of one initial sync, as the server's brotli sends them. */
async function recordPages(folder: string): Promise<Buffer[]> {
  const server = await startBenchServer(`replay_${rows}`);
  try {
    await seedServerRows(server.pool, rows);
    const store = await connectedStoreDevice(server, 'bench-replay', join(folder, 'recorded.sqlite'));
    const bodies: Buffer[] = [];
    const recording = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await nodeFetch(input, init);
      const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
      if (!url.endsWith('/sync/pull')) return response;
      const text = await response.text();
      bodies.push(brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }));
      return new Response(text, { status: response.status, headers: response.headers });
    }) as typeof fetch;
    const engine = new SyncEngine({ store, logFile: null, fetch: recording });
    await engine.syncNow('bench', 'pull');
    store.close();
    if (!engine.lastRun?.ok) throw new Error(`the recorded pull failed: ${engine.lastRun?.error}`);
    return bodies;
  } finally {
    await server.dispose();
  }
}

// The page's envelope check (http.ts) is left out: one loop over the rows, ~0.1 µs per row.
const decodePage = (body: Buffer): PullResponse =>
  JSON.parse(brotliDecompressSync(body).toString('latin1')) as PullResponse;

/** The engine's device path: decode, check, one transaction per page with its cursor. */
function pullVariant(store: LocalStore, bodies: Buffer[]): void {
  const restore = widenPageCache(store);
  try {
    let from: string | null = null;
    for (const body of bodies) {
      const checked = checkPage(decodePage(body), from);
      const tables = Object.keys(checked.page.changes).filter(isTableName);
      applyPulledPages(
        store,
        [checked],
        () => tables,
        () => {},
      );
      from = checked.page.cursor;
    }
  } finally {
    restore();
  }
}

/** The raw limit: plain INSERTs of the same rows, values converted outside, one transaction. */
function rawVariant(store: LocalStore, bodies: Buffer[]): () => void {
  const byTable = new Map<TableName, unknown[][]>();
  for (const body of bodies) {
    const page = decodePage(body);
    for (const table of inApplyOrder(Object.keys(page.changes).filter(isTableName))) {
      const columns = wireColumns(table);
      const list = byTable.get(table) ?? [];
      for (const row of page.changes[table] as Record<string, unknown>[]) {
        list.push([
          ...columns.map(({ name, column }) => (sqliteConverter(column) ?? ((v: unknown) => v ?? null))(row[name])),
          row.server_version,
        ]);
      }
      byTable.set(table, list);
    }
  }
  return () => {
    store.sqlite.exec('BEGIN');
    for (const [table, values] of byTable) {
      const names = [...wireColumns(table).map((c) => c.name), 'server_version'];
      const insert = store.sqlite.prepare(
        `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
      );
      for (const row of values) insert.run(...row);
    }
    store.sqlite.exec('COMMIT');
  };
}

async function main() {
  const folder = mkdtempSync(join(tmpdir(), 'insight-apply-replay-'));
  try {
    const bodies = await recordPages(folder);
    const total = bodies.reduce((sum, body) => sum + checkPage(decodePage(body)).size, 0);
    console.log(`recorded ${bodies.length} pages, ${total} rows`);
    const variants: Record<string, (store: LocalStore) => void> = {
      pull: (store) => pullVariant(store, bodies),
    };
    const results: Record<string, { cpu: number[]; faults: number[] }> = {};
    let run = 0;
    for (let round = 0; round < rounds; round += 1) {
      for (const [kind, variant] of [...Object.entries(variants), ['raw', null] as const]) {
        for (const pageSize of pageSizes) {
          const store = openStore(join(folder, `replay-${(run += 1)}.sqlite`), pageSize);
          const name = `${kind} ${String(store.sqlite.pragma('page_size', { simple: true }))}`;
          const work = variant ? () => variant(store) : rawVariant(store, bodies);
          global.gc?.();
          const faults = process.resourceUsage().minorPageFault;
          const cpu = process.cpuUsage();
          work();
          const used = process.cpuUsage(cpu);
          const faulted = process.resourceUsage().minorPageFault - faults;
          store.close();
          const micros = (used.user + used.system) / total;
          const entry = (results[name] ??= { cpu: [], faults: [] });
          entry.cpu.push(micros);
          entry.faults.push(faulted / total);
          console.log(
            `round ${round} ${name}: ${micros.toFixed(2)} µs/row, ${(faulted / total).toFixed(3)} faults/row`,
          );
        }
      }
    }
    for (const [name, { cpu, faults }] of Object.entries(results)) {
      console.log(`${name}: median ${median(cpu).toFixed(2)} µs/row, ${median(faults).toFixed(3)} faults/row`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
