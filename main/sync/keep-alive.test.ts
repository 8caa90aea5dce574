// A pull whose page takes longer to apply than the server's keep-alive (issue: "a pull fails after
// a slow page"). While the engine is busy, the server closes the idle pooled socket; the next
// request went out on it and failed with UND_ERR_SOCKET (other side closed), one page per retry.
// Real parts: the sync server in its own process (so it closes the socket on time while this one
// is busy), the real engine on a real SQLite file, and a page made slow by the store itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { make, ProtocolTestClient as ServerTestClient } from '../../server/testing/sync-client.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { saveConnection } from './config.js';
import { SyncEngine } from './engine.js';
import { fastRetries, localRows } from './testing/devices.js';

// The server advertises `Keep-Alive: timeout=3`; Node's fetch keeps an idle socket 2 s less
// (1 s), so it does reuse it, and a page applied in 4 s outlives the server's side of it.
const KEEP_ALIVE_MS = 3_000;
const SLOW_PAGE_MS = 4_000;

const root = fileURLToPath(new URL('../..', import.meta.url));
let serverProcess: ChildProcess;
let server: { url: string; tokens: Record<string, string> };
let store: TemporaryStore;

beforeAll(async () => {
  serverProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/testing/test-server-cli.ts',
      '--device',
      'ka-manager:manager',
      '--device',
      'ka-store:store',
    ],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  server = await new Promise((resolve, reject) => {
    let output = '';
    serverProcess.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(JSON.parse(output.split('\n')[0]!) as typeof server);
    });
    serverProcess.once('exit', (code) => reject(new Error(`test server exited with ${code}`)));
  });
}, 60_000);

afterAll(async () => {
  store?.remove();
  if (serverProcess && serverProcess.exitCode === null) {
    const exited = new Promise((resolve) => serverProcess.once('exit', resolve));
    serverProcess.kill('SIGTERM');
    await exited;
  }
});

describe('a page that takes longer to apply than the server keeps an idle connection', () => {
  it('is followed by the next page without an error, a retry or an alert', async () => {
    // The server tells clients how long it keeps an idle connection; Node's fetch retires it 2 s earlier.
    const status = await fetch(`${server.url}/api/v1/sync/status`);
    expect(status.headers.get('keep-alive')).toBe(`timeout=${KEEP_ALIVE_MS / 1000}`);
    const manager = new ServerTestClient(server.url, 'ka-manager', server.tokens['ka-manager']!);
    // Three pages of two KPI rows; the first page holds the row that makes applying it slow.
    const kpis = [
      make.kpi({ metric: 'slow' }),
      ...Array.from({ length: 5 }, (_, i) => make.kpi({ metric: `sales-${i}` })),
    ];
    for (const kpi of kpis) expect((await manager.push({ kpi_data: [kpi] })).status).toBe(200);

    store = openTemporaryStore('insight-keep-alive-');
    saveConnection(store, {
      server_url: server.url,
      device_id: 'ka-store',
      token: server.tokens['ka-store']!,
      role: 'store',
    });
    // Applying the slow row keeps the engine (the whole process) busy, as a big page on a slow Mac does.
    store.sqlite.function('busy_for', (ms: unknown) => {
      const end = Date.now() + Number(ms);
      while (Date.now() < end);
      return 0;
    });
    store.sqlite.exec(
      `CREATE TEMP TRIGGER slow_page AFTER INSERT ON kpi_data WHEN NEW.metric = 'slow' BEGIN SELECT busy_for(${SLOW_PAGE_MS}); END`,
    );
    const engine = new SyncEngine({ store, ...fastRetries, pageSize: 2 });

    const states: string[] = [];
    engine.on('status', (status) => states.push(status.state));
    await engine.syncNow();

    expect(engine.lastRun).toMatchObject({ ok: true, error: null });
    expect(engine.lastRun!.pulled!.pages).toBeGreaterThanOrEqual(3);
    expect(engine.status()).toMatchObject({ state: 'idle', error: null, attempt: 0, online: true });
    expect(states).not.toContain('error');
    expect(states).not.toContain('alert');
    const rows = localRows(store, 'kpi_data');
    expect([...rows.keys()].sort()).toEqual(kpis.map((kpi) => kpi.id).sort());
    await engine.stop();
  }, 60_000);
});
