// The fixture other suites build on: a server that can go away and come back on the same port,
// keeping its database, and that cleans up after itself.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ProtocolTestClient } from './sync-client.js';
import { createTestDatabase, PG_ADMIN_URL, startTestServer } from './test-server.js';

const databaseExists = async (url: string) => {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    return (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
};

describe('the test server', () => {
  it('stops and starts again on the same port with its data, and drops its database on dispose', async () => {
    const server = await startTestServer();
    const client = new ProtocolTestClient(server.url, 'store-001', await server.enroll('store-001', 'store'));
    expect((await client.pull()).status).toBe(200);
    await server.stop();
    await expect(fetch(`${server.url}/api/v1/sync/status`)).rejects.toThrow();
    await server.start();
    expect((await client.pull()).status).toBe(200);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    await server.dispose();
    expect(await databaseExists(server.databaseUrl)).toBe(false);
  });

  it('leaves a database it was given in place', async () => {
    const database = await createTestDatabase('given');
    const server = await startTestServer({ databaseUrl: database.url });
    await server.dispose();
    expect(await databaseExists(database.url)).toBe(true);
    await database.drop();
    expect(await databaseExists(database.url)).toBe(false);
  });
});
