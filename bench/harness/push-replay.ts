// Store devices' push requests, recorded as the engine sent them and posted again to a server with
// no device work on the machine: what the server path alone does with the same bodies, as it would
// with the devices on their own CPUs (phones). Shared by the push workload and bench/push-server.ts.
import { request } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { newId } from '../../shared/ids.js';

export interface RecordedPush {
  device: string;
  /** The request's headers without its Authorization (a replay signs as another device). */
  headers: Record<string, string>;
  /** The body as sent (gzip'd when the engine compressed it: see headers). */
  body: Buffer;
}

const isGzip = (headers: Record<string, string>) =>
  Object.entries(headers).some(([name, value]) => name.toLowerCase() === 'content-encoding' && value === 'gzip');

const bodyText = (push: Pick<RecordedPush, 'headers' | 'body'>) =>
  (isGzip(push.headers) ? gunzipSync(push.body) : push.body).toString('utf8');

/** The rows a push body carries, over every table (read after the recording: it costs a gunzip and a parse). */
export function rowsIn(push: Pick<RecordedPush, 'headers' | 'body'>): number {
  const body = JSON.parse(bodyText(push)) as { changes: Record<string, unknown[]> };
  return Object.values(body.changes).reduce((n, rows) => n + rows.length, 0);
}

/**
 * `inner`, recording every push request `device` sends into `into` (the body as it went out). The
 * request itself is sent unchanged; recording costs a copy of the body, nothing more, so it can
 * wrap a measured push.
 */
export function recordingFetch(device: string, into: RecordedPush[], inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/sync/push') && init?.body) {
      const headers = { ...(init.headers as Record<string, string>) };
      delete headers.Authorization;
      const body = Buffer.from(init.body as unknown as Uint8Array);
      into.push({ device, headers, body });
    }
    return inner(input, init);
  };
}

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * `text` with every uuid but `kept` replaced by a new one (UUIDv7, as the app makes them), the
 * same way wherever `uuids` is shared: what was recorded goes in again as new rows whose
 * references still agree.
 */
export function withFreshUuids(
  text: string,
  uuids: Map<string, string>,
  kept: ReadonlySet<string> = new Set(),
): string {
  return text.replace(uuidPattern, (uuid) => {
    if (kept.has(uuid)) return uuid;
    let fresh = uuids.get(uuid);
    if (!fresh) uuids.set(uuid, (fresh = newId()));
    return fresh;
  });
}

/**
 * A recorded push as a new one: every uuid but `kept` (the form's, which the server holds) replaced,
 * the same way across the pushes sharing `uuids`, so the rows, their change ids and an answer's
 * submission are new and still agree; the device renamed to `device`.
 */
export function freshCopy<Push extends RecordedPush>(
  push: Push,
  uuids: Map<string, string>,
  device: string,
  kept: ReadonlySet<string>,
): Push {
  const json = withFreshUuids(bodyText(push), uuids, kept).replaceAll(`"${push.device}"`, `"${device}"`);
  const body = isGzip(push.headers) ? gzipSync(Buffer.from(json), { level: 1 }) : Buffer.from(json);
  return { ...push, device, body };
}

/** POSTs `body` on a fresh connection; resolves with the status once the answer is read. */
function post(url: URL, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) }, agent: false },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Posts the pushes to `serverUrl` as their devices sent them: every device at once, each device's
 * pushes one after the other, each signed with `tokens.get(device)`. Returns each push's latency
 * (send to the answer's last byte), in ms; a push answered other than 200 throws.
 */
export async function postAtOnce(
  serverUrl: string,
  tokens: ReadonlyMap<string, string>,
  pushes: RecordedPush[],
): Promise<number[]> {
  const byDevice = new Map<string, RecordedPush[]>();
  for (const push of pushes) byDevice.set(push.device, [...(byDevice.get(push.device) ?? []), push]);
  const url = new URL('/api/v1/sync/push', serverUrl);
  const latencies: number[] = [];
  await Promise.all(
    [...byDevice].map(async ([device, list]) => {
      for (const push of list) {
        const start = performance.now();
        const status = await post(url, { ...push.headers, Authorization: `Bearer ${tokens.get(device)}` }, push.body);
        latencies.push(performance.now() - start);
        if (status !== 200) throw new Error(`the push of ${device} was answered ${status}`);
      }
    }),
  );
  return latencies;
}
