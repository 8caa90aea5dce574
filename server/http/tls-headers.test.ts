// TLS, security headers, CORS and trust proxy against the real server: HTTPS from TLS_CERT /
// TLS_KEY with a certificate made in the test, helmet's headers, no CORS for browsers unless an
// origin is configured, and X-Forwarded-For ignored unless the proxy is trusted.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../start.js';
import { makeSelfSignedCertificate, type SelfSigned } from '../testing/self-signed.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-server.js';

let database: TestDatabase;
let certificate: SelfSigned;
let https: RunningServer;
let plain: RunningServer;

beforeAll(async () => {
  database = await createTestDatabase('tls_headers');
  certificate = makeSelfSignedCertificate();
  https = await startServer({
    port: 0,
    databaseUrl: database.url,
    logLevel: 'silent',
    tlsCert: certificate.certFile,
    tlsKey: certificate.keyFile,
    corsOrigins: ['https://dashboard.example.com'],
  });
  plain = await startServer({
    port: 0,
    databaseUrl: database.url,
    logLevel: 'silent',
    limits: { authFailuresPerMinute: 3 },
  });
});
afterAll(async () => {
  await https?.close();
  await plain?.close();
  certificate?.remove();
  await database?.drop();
});

/** One HTTPS request trusting only the test certificate (as NODE_EXTRA_CA_CERTS would). */
function httpsGet(url: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    const req = request(url, { method, ca: certificate.cert, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS from TLS_CERT / TLS_KEY', () => {
  it('serves the API over TLS with the given certificate, and sends the security headers', async () => {
    expect(https.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const reply = await httpsGet(`${https.url}/api/v1/sync/status`);
    expect(reply.status).toBe(200);
    expect(reply.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(reply.headers['x-powered-by']).toBeUndefined();
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(fetch(`${https.url}/api/v1/sync/status`)).rejects.toThrow(/fetch failed/);
  });

  it('refuses to start with a certificate but no key', async () => {
    await expect(
      startServer({ port: 0, databaseUrl: database.url, logLevel: 'silent', tlsCert: certificate.certFile }),
    ).rejects.toThrow(/TLS needs both TLS_CERT and TLS_KEY/);
  });
});

describe('CORS', () => {
  it('sends no CORS headers by default: a browser page elsewhere can neither read answers nor send a token', async () => {
    const simple = await fetch(`${plain.url}/api/v1/sync/status`, { headers: { origin: 'https://evil.example' } });
    expect(simple.status).toBe(200);
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${plain.url}/api/v1/sync/pull`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('answers a configured origin (CORS_ORIGINS), preflight included, and no other', async () => {
    const preflight = await httpsGet(
      `${https.url}/api/v1/sync/pull`,
      {
        origin: 'https://dashboard.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
      'OPTIONS',
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://dashboard.example.com');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const other = await httpsGet(`${https.url}/api/v1/sync/status`, { origin: 'https://evil.example' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('trust proxy', () => {
  it('ignores X-Forwarded-For unless the proxy is trusted: a token guesser cannot pose as many addresses', async () => {
    const guess = (i: number) =>
      fetch(`${plain.url}/api/v1/sync/pull`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer isk_guess',
          'x-forwarded-for': `203.0.113.${i}`,
        },
        body: '{}',
      });
    for (let i = 1; i <= 3; i++) expect((await guess(i)).status).toBe(401);
    const blocked = await guess(4);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
