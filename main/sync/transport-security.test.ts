// How a device reaches its server: plain http:// only on the local network unless confirmed, a
// company CA through NODE_EXTRA_CA_CERTS (the CLI against a real HTTPS server whose certificate is
// made in the test), and the server's Retry-After reaching the engine as retryAfterMs.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { enrollDevice } from '../../server/auth/devices.js';
import { startServer, type RunningServer } from '../../server/start.js';
import { makeSelfSignedCertificate, type SelfSigned } from '../../server/testing/self-signed.js';
import { createTestDatabase, type TestDatabase } from '../../server/testing/test-server.js';
import { checkConnection } from './config.js';
import { SyncClient, SyncHttpError } from './http.js';
import { parseRetryAfter } from './retry-after.js';
import { isLocalNetworkHost } from './transport-security.js';

let database: TestDatabase;
let certificate: SelfSigned;
let server: RunningServer;
let folder: string;

beforeAll(async () => {
  database = await createTestDatabase('transport_security');
  certificate = makeSelfSignedCertificate();
  folder = mkdtempSync(join(tmpdir(), 'insight-transport-'));
  server = await startServer({
    port: 0,
    databaseUrl: database.url,
    logLevel: 'silent',
    tlsCert: certificate.certFile,
    tlsKey: certificate.keyFile,
  });
});
afterAll(async () => {
  await server?.close();
  certificate?.remove();
  if (folder) rmSync(folder, { recursive: true, force: true });
  await database?.drop();
});

describe('plain http:// beyond the local network', () => {
  const unreachable = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;

  it('is refused before anything is sent, naming the fix', async () => {
    let sent = false;
    const check = await checkConnection(
      { server_url: 'http://203.0.113.5:8000', device_id: 'mac-1', token: 'isk_secret' },
      {
        fetch: (input: RequestInfo | URL) => {
          sent = true;
          return unreachable(input);
        },
      },
    );
    expect(check.ok).toBe(false);
    expect(!check.ok && check.error).toMatch(
      /outside the local network.*Use https:\/\/.*--allow-insecure.*INSIGHT_ALLOW_INSECURE_HTTP=1/s,
    );
    expect(sent).toBe(false);
  });

  it('is tried when the user confirms, and for loopback and private addresses', async () => {
    for (const [url, allowInsecure] of [
      ['http://203.0.113.5:8000', true],
      ['http://127.0.0.1:1', false],
      ['http://192.168.1.20:8000', false],
      ['http://nas.local:8000', false],
    ] as const) {
      const check = await checkConnection(
        { server_url: url, device_id: 'mac-1', token: 'isk_x' },
        { fetch: unreachable, allowInsecure },
      );
      expect(!check.ok && check.error).toMatch(/^Cannot reach a server at/);
    }
  });

  it('tells local-network hosts from others', async () => {
    for (const host of [
      '127.0.0.1',
      '10.4.0.9',
      '172.20.1.1',
      '192.168.0.5',
      '169.254.3.3',
      '[::1]',
      '[fd12::5]',
      '[::ffff:10.0.0.1]',
      'localhost',
      'nas',
      'nas.local',
    ]) {
      expect(await isLocalNetworkHost(host), host).toBe(true);
    }
    for (const host of ['8.8.8.8', '203.0.113.5', '172.32.0.1', '[2001:db8::1]']) {
      expect(await isLocalNetworkHost(host), host).toBe(false);
    }
  });
});

describe('a company CA (NODE_EXTRA_CA_CERTS)', () => {
  /** `npm run device -- … status` as a user runs it, with the given extra environment. */
  async function device(data: string, token: string, env: Record<string, string>) {
    const { NODE_EXTRA_CA_CERTS: _, ...rest } = process.env;
    const args = [
      '--import',
      'tsx',
      'main/cli/device.ts',
      '--data',
      join(folder, data),
      '--server',
      server.url,
      '--device',
      'store-tls',
      '--token',
      token,
      'status',
    ];
    try {
      const { stdout } = await promisify(execFile)(process.execPath, args, { env: { ...rest, ...env } });
      return { code: 0, out: stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, out: failed.stdout + failed.stderr };
    }
  }

  it('lets the CLI connect over HTTPS to a server whose certificate it signs; without it, says what to set', async () => {
    const token = await enrollDevice(server.db, 'store-tls', 'store');
    const untrusted = await device('untrusted', token, {});
    expect(untrusted.code).toBe(1);
    expect(untrusted.out).toMatch(
      /Cannot connect securely to https:\/\/127\.0\.0\.1:\d+\. .*not trusted.*NODE_EXTRA_CA_CERTS/,
    );
    const trusted = await device('trusted', token, { NODE_EXTRA_CA_CERTS: certificate.certFile });
    expect(trusted).toMatchObject({
      code: 0,
      out: expect.stringMatching(/connected: device store-tls \(store\) at https:/),
    });
  }, 90_000);
});

describe("the server's Retry-After", () => {
  it('reaches the engine as retryAfterMs on a 429, a transient failure', async () => {
    const token = await enrollDevice(server.db, 'store-busy', 'store');
    // Plain HTTP on loopback: this test process does not trust the test certificate.
    const busy = await startServer({
      port: 0,
      databaseUrl: database.url,
      logLevel: 'silent',
      limits: { deviceRequestsPerMinute: 2 },
    });
    onTestFinished(() => busy.close());
    const client = new SyncClient({ serverUrl: busy.url, deviceId: 'store-busy', token });
    await client.pull({ tables: ['kpi_data'], limit: 1 });
    await client.pull({ tables: ['kpi_data'], limit: 1 });
    const refused = await client.pull({ tables: ['kpi_data'], limit: 1 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SyncHttpError);
    expect(refused).toMatchObject({ status: 429, transient: true });
    const wait = (refused as SyncHttpError).retryAfterMs;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(30_000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});
