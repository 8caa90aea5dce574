// Logs: one JSON line per request with device, route, tables, rows, duration and status; a warning
// per conflict; an error per failed sync; never a token.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { enrollDevice } from '../auth/devices.js';
import { openDatabase, type OpenDatabase } from '../db/client.js';
import { closeHttp, createLogger, listen } from '../start.js';
import { make, ProtocolTestClient } from '../testing/sync-client.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-server.js';

const lines: Record<string, any>[] = [];
const raw: string[] = [];
let database: TestDatabase;
let open: OpenDatabase;
let http: Server;
let url: string;

beforeAll(async () => {
  database = await createTestDatabase('request_log');
  open = await openDatabase({ databaseUrl: database.url });
  const logger = createLogger('info', {
    write: (line: string) => {
      raw.push(line);
      lines.push(JSON.parse(line));
    },
  });
  http = await listen(createApp({ db: open.db, logger, bodyLimit: '1mb' }), 0);
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeHttp(http);
  await open?.close();
  await database?.drop();
});

describe('the request log', () => {
  it('writes one line per request, a warning per conflict and an error per failed sync, and no token', async () => {
    const tokens = [
      await enrollDevice(open.db, 'mac-001', 'manager'),
      await enrollDevice(open.db, 'mac-002', 'manager'),
    ];
    const first = new ProtocolTestClient(url, 'mac-001', tokens[0]!);
    const second = new ProtocolTestClient(url, 'mac-002', tokens[1]!);
    const member = make.team();
    await first.push({ team: [member], kpi_data: [make.kpi(), make.kpi()] });
    await second.push({ team: [{ ...member, change_id: randomUUID(), name: 'Other' }] }, { cursor: '0' });
    await second.push({ team: [{ ...member, colour: 'red' }] });
    await first.pull({ tables: ['team'] });

    const requests = lines.filter((l) => l.route?.startsWith('/api/v1/sync/'));
    expect(requests).toHaveLength(4);
    expect(requests[0]).toMatchObject({
      level: 30,
      method: 'POST',
      route: '/api/v1/sync/push',
      status: 200,
      device: 'mac-001',
      tables: ['team', 'kpi_data'],
      rows: 3,
      duration_ms: expect.any(Number),
    });
    expect(lines.find((l) => l.msg === 'conflict detected')).toMatchObject({
      level: 40,
      device: 'mac-002',
      table: 'team',
      record_id: member.id,
      rule: 'server_wins',
      resolution: 'server_wins',
    });
    expect(requests[2]).toMatchObject({
      level: 50,
      msg: 'sync failed',
      status: 400,
      error: expect.stringContaining('unknown column "colour"'),
    });
    expect(requests[3]).toMatchObject({ route: '/api/v1/sync/pull', tables: ['team'], rows: 1 });
    for (const token of tokens) expect(raw.join('')).not.toContain(token);
  });
});
