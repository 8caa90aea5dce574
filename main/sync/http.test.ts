// The sync HTTP client on the wire, against a real loopback HTTP server that records what it
// receives: gzip both ways (seed: Compression) and the failure classes the engine acts on.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushRequest } from '../../shared/protocol/sync.js';
import { checkConnection } from './config.js';
import { SyncClient, SyncHttpError } from './http.js';

let server: Server;
let url: string;
let reply: { status: number; body: unknown; gzip?: boolean; br?: boolean } = { status: 200, body: {} };
/** The next requests' connections are closed before any byte of an answer (a stale pooled socket). */
let closeBeforeAnswer = 0;
/** The next answer is cut after its headers and part of its body. */
let cutMidAnswer = false;
const received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      if (closeBeforeAnswer > 0) {
        closeBeforeAnswer -= 1;
        request.socket.destroy();
        return;
      }
      if (cutMidAnswer) {
        cutMidAnswer = false;
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
        response.write('{"success":true,', () => request.socket.destroy());
        return;
      }
      const json = Buffer.from(JSON.stringify(reply.body));
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (reply.gzip) headers['Content-Encoding'] = 'gzip';
      if (reply.br) headers['Content-Encoding'] = 'br';
      response.writeHead(reply.status, headers);
      response.end(reply.gzip ? gzipSync(json) : reply.br ? brotliCompressSync(json) : json);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () => new SyncClient({ serverUrl: `${url}/`, deviceId: 'store-iphone-001', token: 'secret-token' });
const pushOk = { success: true, timestamp: '2026-01-01T00:00:00Z', applied: {}, conflicts: [] };
const kpi = (i: number) => ({
  id: crypto.randomUUID(),
  updated_at: '2026-01-01T00:00:00Z',
  metric: `metric-${i}`,
  value: i,
});

describe('sync HTTP client', () => {
  it('sends the token, asks for gzip, gzips a large push and reads a gzipped answer', async () => {
    reply = { status: 200, body: pushOk, gzip: true };
    const rows = Array.from({ length: 200 }, (_, i) => kpi(i));
    const answer = await client().push({ timestamp: '2026-01-01T00:00:00Z', changes: { kpi_data: rows } });
    expect(answer.success).toBe(true);
    const { headers, body } = received.at(-1)!;
    expect(headers.authorization).toBe('Bearer secret-token');
    expect(headers['accept-encoding']).toContain('gzip');
    expect(headers['content-encoding']).toBe('gzip');
    const sent = PushRequest.parse(JSON.parse(gunzipSync(body).toString()));
    expect(sent).toMatchObject({ device_id: 'store-iphone-001' });
    expect(sent.changes.kpi_data).toHaveLength(200);
  });

  it('reads a brotli answer too (a server may send one)', async () => {
    reply = { status: 200, body: pushOk, br: true };
    const answer = await client().push({ timestamp: '2026-01-01T00:00:00Z', changes: { kpi_data: [kpi(1)] } });
    expect(answer).toMatchObject({ success: true, applied: {}, conflicts: [] });
  });

  it('sends a small request as plain JSON', async () => {
    reply = { status: 200, body: pushOk };
    await client().push({ timestamp: '2026-01-01T00:00:00Z', changes: { kpi_data: [kpi(1)] } });
    const { headers, body } = received.at(-1)!;
    expect(headers['content-encoding']).toBeUndefined();
    expect(PushRequest.parse(JSON.parse(body.toString())).changes.kpi_data).toHaveLength(1);
  });

  it('sorts failures: 5xx and bad answers are transient, 401 is auth, other 4xx are refusals with details', async () => {
    const failure = async () => {
      try {
        await client().push({ timestamp: '2026-01-01T00:00:00Z', changes: {} });
      } catch (error) {
        return error as SyncHttpError;
      }
      throw new Error('expected a failure');
    };
    reply = { status: 503, body: { success: false, error: 'database unavailable' } };
    expect(await failure()).toMatchObject({
      kind: 'server',
      status: 503,
      transient: true,
      message: 'database unavailable',
    });
    reply = { status: 200, body: { hello: 'world' } };
    expect(await failure()).toMatchObject({ kind: 'server', transient: true });
    reply = { status: 401, body: { success: false, error: 'unknown or revoked token' } };
    expect(await failure()).toMatchObject({ kind: 'auth', transient: false });
    reply = {
      status: 422,
      body: {
        success: false,
        error: 'invalid push',
        details: [{ path: 'changes.kpi_data[0].value', message: 'expected number' }],
      },
    };
    const refused = await failure();
    expect(refused).toMatchObject({ kind: 'refused', status: 422, transient: false });
    expect(refused.reason).toBe('invalid push (changes.kpi_data[0].value: expected number)');
  });

  it('calls an unreachable server a network failure', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = new SyncClient({ serverUrl: `http://127.0.0.1:${port}`, deviceId: 'd', token: 't' });
    const error = await nowhere.status().then(
      () => null,
      (e: SyncHttpError) => e,
    );
    expect(error).toBeInstanceOf(SyncHttpError);
    expect([error!.kind, error!.transient]).toEqual(['network', true]);
    expect(error!.message).toContain('ECONNREFUSED');
  });
});

describe('a connection closed under a request', () => {
  const pull = () => client().pull({ tables: ['kpi_data'] });
  const pullOk = {
    success: true,
    timestamp: '2026-01-01T00:00:00Z',
    changes: {},
    conflicts: null,
    cursor: '0',
    has_more: false,
    total: 0,
  };

  it('resends at once a request whose connection closed before any byte of the answer', async () => {
    reply = { status: 200, body: pullOk };
    const before = received.length;
    closeBeforeAnswer = 1;
    expect((await pull()).success).toBe(true);
    // The same request twice: the first on the closed connection, the second answered.
    const sent = received.slice(before).map((r): unknown => JSON.parse(r.body.toString()));
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
  });

  it('resends only once: a second close in a row is a network failure for the engine to retry', async () => {
    const before = received.length;
    closeBeforeAnswer = 2;
    const error = await pull().then(
      () => null,
      (e: SyncHttpError) => e,
    );
    expect(error).toMatchObject({ kind: 'network', transient: true });
    expect(error!.message).toContain('UND_ERR_SOCKET');
    expect(received.length - before).toBe(2);
  });

  it('does not resend a request whose answer was cut midway', async () => {
    const before = received.length;
    cutMidAnswer = true;
    const error = await pull().then(
      () => null,
      (e: SyncHttpError) => e,
    );
    expect(error).toMatchObject({ kind: 'network', transient: true });
    expect(received.length - before).toBe(1);
  });
});

describe('connection check against a server in trouble', () => {
  it('calls a 5xx answer a server error to retry, not a wrong address', async () => {
    // An Insight server whose database is down (or the NAS proxy in front of it) answers 503.
    reply = { status: 503, body: { success: false, error: 'database unavailable' } };
    const check = await checkConnection({ server_url: url, device_id: 'store-iphone-001', token: 'secret-token' });
    expect(check.ok).toBe(false);
    const { error } = check as { error: string };
    expect(error).not.toContain('not an Insight sync server');
    expect(error).toContain('503');
    expect(error).toContain('database unavailable');
    // Something that answers 200 but not the protocol is still the wrong address.
    reply = { status: 200, body: { hello: 'world' } };
    expect(await checkConnection({ server_url: url, device_id: 'd', token: 't' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('not an Insight sync server'),
    });
  });
});
