// Live sync on the server, end to end over real sockets: two server processes on one PostgreSQL
// database (one in this process, one spawned), devices holding raw WebSockets, pushes over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LIVE_PATH, LiveServerMessage, type LivePoke } from '../../shared/protocol/live.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { make, ProtocolTestClient } from '../testing/sync-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let one: TestServer;
let two: ServerProcess;
const tokens: Record<string, string> = {};
const sockets: WebSocket[] = [];

beforeAll(async () => {
  one = await startTestServer();
  for (const [id, role] of [
    ['live-manager', 'manager'],
    ['live-manager-2', 'manager'],
    ['live-store', 'store'],
  ] as const) {
    tokens[id] = await one.enroll(id, role);
  }
  two = await startServerProcess(one.databaseUrl);
}, 60_000);

afterAll(async () => {
  sockets.forEach((socket) => socket.terminate());
  await two?.stop();
  await one?.dispose();
});

interface LiveClient {
  messages: LiveServerMessage[];
  pokes(): LivePoke[];
  socket: WebSocket;
}

/** A device's live socket on a server; resolves once open (the hello, when given, is sent). */
function connect(url: string, token: string, hello?: string | null): Promise<LiveClient> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}${LIVE_PATH}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  sockets.push(socket);
  const messages: LiveServerMessage[] = [];
  socket.on('message', (data) => messages.push(LiveServerMessage.parse(JSON.parse(String(data)))));
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      if (hello !== undefined) socket.send(JSON.stringify({ type: 'hello', cursor: hello }));
      resolve({ messages, socket, pokes: () => messages.filter((m): m is LivePoke => m.type === 'poke') });
    });
    socket.once('error', reject);
  });
}

/** The HTTP status a refused upgrade got. */
function refusedStatus(url: string, headers: Record<string, string>): Promise<number> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}${LIVE_PATH}`, { headers });
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
    socket.once('error', () => {});
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

async function until<T>(check: () => T, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('live sync endpoint', () => {
  it('refuses a missing or wrong token with 401 before the upgrade', async () => {
    expect(await refusedStatus(one.url, {})).toBe(401);
    expect(await refusedStatus(one.url, { Authorization: 'Bearer not-a-token' })).toBe(401);
    expect(await refusedStatus(two.url, { Authorization: 'Basic abc' })).toBe(401);
    // A plain GET is told it needs an upgrade, and the server is still up.
    const plain = await fetch(`${one.url}${LIVE_PATH}`);
    expect(plain.status).toBe(426);
  });

  it('pokes a device connected to the other server process, and never the device that pushed', async () => {
    const manager = await connect(two.url, tokens['live-manager']!);
    const pusher = await connect(two.url, tokens['live-store']!);
    const pusherOnOne = await connect(one.url, tokens['live-store']!);
    const managerClient = new ProtocolTestClient(two.url, 'live-manager', tokens['live-manager']!);
    const { cursor: before } = await managerClient.pullAll();
    const store = new ProtocolTestClient(one.url, 'live-store', tokens['live-store']!);
    const kpi = make.kpi();
    const pushed = await store.push({ kpi_data: [kpi] });
    expect(pushed.status).toBe(200);
    const version = String(pushed.body.applied.kpi_data[0].server_version);

    await until(() => manager.pokes().length > 0, 'the poke on process 2');
    const [poke] = manager.pokes();
    // The poke names the position the push reached: its transaction and the row's version.
    expect(poke).toEqual({
      type: 'poke',
      tables: ['kpi_data'],
      version: expect.stringMatching(new RegExp(`^\\d+\\.${version}$`)),
    });
    // The poke is enough to find the row: a pull from the cursor held before it brings it.
    const pulled = await managerClient.pull({ cursor: before });
    expect(pulled.body.changes.kpi_data.map((row: { id: string }) => row.id)).toEqual([kpi.id]);

    await settle();
    expect(pusher.pokes()).toEqual([]);
    expect(pusherOnOne.pokes()).toEqual([]);
  });

  it('pokes for a push answered by versions (its rows in stored_as_pushed, none in applied)', async () => {
    const manager = await connect(two.url, tokens['live-manager']!);
    const store = new ProtocolTestClient(one.url, 'live-store', tokens['live-store']!);
    const pushed = await store.push({ kpi_data: [make.kpi()] }, { answer: 'versions' });
    expect(pushed.body.applied.kpi_data).toEqual([]);
    const version = String(pushed.body.stored_as_pushed.kpi_data[0].server_version);
    await until(() => manager.pokes().length > 0, 'the poke on process 2');
    expect(manager.pokes()[0]).toEqual({
      type: 'poke',
      tables: ['kpi_data'],
      version: expect.stringMatching(new RegExp(`^\\d+\\.${version}$`)),
    });
  });

  it("pokes a store's devices about their own store's pushes, across processes, and not another store's", async () => {
    for (const [id, store] of [
      ['live-s1-a', 'S001'],
      ['live-s1-b', 'S001'],
      ['live-s2', 'S002'],
      ['live-s2-b', 'S002'],
    ] as const) {
      tokens[id] = await one.enroll(id, 'store', store);
    }
    const sameStore = await connect(two.url, tokens['live-s1-b']!);
    const otherStore = await connect(two.url, tokens['live-s2']!);
    const manager = await connect(two.url, tokens['live-manager']!);
    const pusher = new ProtocolTestClient(one.url, 'live-s1-a', tokens['live-s1-a']!);
    expect((await pusher.push({ kpi_data: [make.kpi({ store_id: 'S001' })] })).status).toBe(200);
    await until(() => sameStore.pokes().length > 0 && manager.pokes().length > 0, 'the pokes in store S001');
    await settle();
    expect(otherStore.pokes()).toEqual([]);
    // A push in its own store does reach it.
    const other = new ProtocolTestClient(one.url, 'live-s2-b', tokens['live-s2-b']!);
    expect((await other.push({ kpi_data: [make.kpi({ store_id: 'S002' })] })).status).toBe(200);
    await until(() => otherStore.pokes().length > 0, 'the poke in store S002');
  });

  it('sends no poke for tables the device may not read', async () => {
    const store = await connect(one.url, tokens['live-store']!);
    const otherManager = await connect(two.url, tokens['live-manager-2']!);
    const manager = new ProtocolTestClient(one.url, 'live-manager', tokens['live-manager']!);
    const pushed = await manager.push({
      settings: [
        {
          id: crypto.randomUUID(),
          change_id: crypto.randomUUID(),
          key: 'theme',
          value: 'dark',
          updated_at: new Date().toISOString(),
        },
      ],
    });
    expect(pushed.status).toBe(200);
    await until(() => otherManager.pokes().length > 0, 'the poke to the other manager');
    expect(otherManager.pokes()[0]!.tables).toEqual(['settings']);
    await settle();
    expect(store.pokes()).toEqual([]); // settings are the manager's only
  });

  it('answers a hello with a poke only when something newer than its cursor exists', async () => {
    const manager = new ProtocolTestClient(one.url, 'live-manager', tokens['live-manager']!);
    const { cursor: before } = await manager.pullAll();
    const store = new ProtocolTestClient(one.url, 'live-store', tokens['live-store']!);
    await store.push({ kpi_data: [make.kpi()] });
    const { cursor: after } = await manager.pullAll();

    const upToDate = await connect(two.url, tokens['live-manager']!, after);
    const behind = await connect(two.url, tokens['live-manager']!, before);
    const fresh = await connect(one.url, tokens['live-manager']!, null);
    await until(() => behind.pokes().length > 0 && fresh.pokes().length > 0, 'the answers to the hellos');
    // The poke names the position written last: past the old cursor, not past the new one.
    expect(behind.pokes()[0]).toMatchObject({ type: 'poke', version: expect.stringMatching(/^\d+\.\d+$/) });
    expect(behind.pokes()[0]!.tables).toContain('kpi_data');
    await settle();
    expect(upToDate.pokes()).toEqual([]);
  });

  it('closes the live sockets of a revoked device at once, on every server process', async () => {
    tokens['live-lost'] = await one.enroll('live-lost', 'store');
    const here = await connect(one.url, tokens['live-lost']);
    const there = await connect(two.url, tokens['live-lost']);
    const closeCode = (client: LiveClient) =>
      new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)));
    const closed = Promise.all([closeCode(here), closeCode(there)]);
    const revoked = await fetch(`${one.url}/api/v1/devices/live-lost/revoke`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens['live-manager']}` },
    });
    expect(revoked.status).toBe(200);
    expect(await closed).toEqual([4401, 4401]);
    expect(await refusedStatus(one.url, { Authorization: `Bearer ${tokens['live-lost']}` })).toBe(401);
  });

  it('closes a socket that sends what the protocol does not know, and stays up for the others', async () => {
    const client = await connect(one.url, tokens['live-manager']!);
    const closed = new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)));
    client.socket.send(JSON.stringify({ type: 'subscribe', tables: ['forms'] }));
    expect(await closed).toBe(1008);
    const again = await connect(one.url, tokens['live-manager']!, null);
    await until(() => again.pokes().length > 0, 'a poke on a new socket');
  });
});
