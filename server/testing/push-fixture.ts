// Where the push tests start: a sync server on a fresh database, a manager (mac-001) and two store
// devices (store-001, store-002) enrolled, and a small pool onto the database to check what the
// server stored. `close` drops it all.
import pg from 'pg';
import type { Role } from '../../shared/tables.js';
import { ProtocolTestClient } from './sync-client.js';
import { startTestServer, type TestServer } from './test-server.js';

export interface PushFixture {
  server: TestServer;
  db: pg.Pool;
  manager: ProtocolTestClient;
  store1: ProtocolTestClient;
  store2: ProtocolTestClient;
  /** A further device enrolled on the same server. */
  enroll(deviceId: string, role: Role): Promise<ProtocolTestClient>;
  close(): Promise<void>;
}

export async function startPushFixture(): Promise<PushFixture> {
  const server = await startTestServer();
  const db = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
  const enroll = async (deviceId: string, role: Role) =>
    new ProtocolTestClient(server.url, deviceId, await server.enroll(deviceId, role));
  return {
    server,
    db,
    manager: await enroll('mac-001', 'manager'),
    store1: await enroll('store-001', 'store'),
    store2: await enroll('store-002', 'store'),
    enroll,
    close: async () => {
      await db.end();
      await server.dispose();
    },
  };
}
