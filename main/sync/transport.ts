// The engine's default transport: a `fetch` with the same contract as Node's (what SyncClient and
// the tests' injected fetches rely on), built on node:http(s) so that a response body is read as
// raw chunks and decompressed in one call once it is complete. Node's fetch decompresses through
// web streams chunk by chunk: on a 5,000-row pull page that cost 3.7–3.9 µs of CPU per row on
// the device against 1.3–1.9 µs this way, and the device is the initial sync's bottleneck.
//
// The contract kept from fetch, because http.ts and the tests depend on it:
// - it resolves once the headers have arrived; a connection closed before that rejects with
//   TypeError('fetch failed') whose `cause` carries the socket's code (ECONNRESET, EPIPE,
//   ECONNREFUSED...), which is what the stale-socket retry and the error wording read;
// - a body cut midway fails `response.text()`, not the request (such a request is never resent);
// - the signal's reason (AbortSignal.timeout: a TimeoutError) is what an abort rejects with;
// - the body is decoded according to Content-Encoding (gzip, deflate, br), the header kept;
// - idle connections are kept alive and reused (one agent per protocol for the process).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

// `timeout` is what makes the agent honour the server's `Keep-Alive: timeout=N` (it retires an
// idle socket 1 s before N, but only when N is below this); without it an idle socket is kept
// forever and reused after the server has closed it. 4 s as fetch (undici's default).
const IDLE_SOCKET_MS = 4_000;
const httpAgent = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
const httpsAgent = new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });

/** Statuses a Response may not carry a body with. */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

export const nodeFetch = ((input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const signal = init.signal ?? undefined;
  const body = init.body as Buffer | string | null | undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const secure = url.protocol === 'https:';
    const request = (secure ? httpsRequest : httpRequest)(url, {
      method: init.method ?? 'GET',
      headers: {
        ...headerRecord(init.headers),
        ...(body != null ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}),
      },
      agent: secure ? httpsAgent : httpAgent,
    });
    let answered = false;
    const onAbort = () => request.destroy(signal!.reason as Error);
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    request.on('error', (error) => {
      done();
      // After the headers, the error belongs to the body (the response's stream reports it).
      if (!answered)
        reject(
          signal?.aborted ? (signal.reason as Error) : new TypeError('fetch failed', { cause: asFetchCause(error) }),
        );
    });
    request.on('response', (message) => {
      answered = true;
      resolve(toResponse(message, signal, done));
    });
    request.end(body ?? undefined);
  });
}) as typeof fetch;

/**
 * node:http calls a connection closed before any answer "socket hang up" (ECONNRESET); fetch
 * calls it UND_ERR_SOCKET "other side closed", the words the engine's messages and tests use.
 */
function asFetchCause(error: Error & { code?: string }): Error {
  if (error.code !== 'ECONNRESET' || error.message !== 'socket hang up') return error;
  return Object.assign(new Error('other side closed', { cause: error }), { code: 'UND_ERR_SOCKET' });
}

function toResponse(message: IncomingMessage, signal: AbortSignal | undefined, done: () => void): Response {
  const status = message.statusCode ?? 0;
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  // One chunk for the whole body: the Response's reader sees a single decoded buffer.
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const chunks: Buffer[] = [];
      let settled = false;
      const fail = (cause: unknown) => {
        if (settled) return;
        settled = true;
        done();
        controller.error(signal?.aborted ? signal.reason : new TypeError('terminated', { cause }));
      };
      message.on('data', (chunk: Buffer) => chunks.push(chunk));
      message.on('error', fail);
      // Closed before the last byte (the server or the network cut the answer midway).
      message.on('close', () => {
        if (!message.complete) fail(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
      });
      message.on('end', () => {
        if (settled || !message.complete) return;
        settled = true;
        done();
        try {
          const decoded = decode(Buffer.concat(chunks), message.headers['content-encoding']);
          if (decoded.length > 0) controller.enqueue(decoded);
          controller.close();
        } catch (error) {
          controller.error(new TypeError('terminated', { cause: error }));
        }
      });
    },
  });
  if (NULL_BODY_STATUS.has(status)) {
    message.resume();
    return new Response(null, { status, statusText: message.statusMessage, headers });
  }
  return new DecodedResponse(stream, { status, statusText: message.statusMessage, headers });
}

/**
 * A Response whose text() takes the body's one decoded chunk as it is (fetch's text() copies the
 * chunks into a new buffer first), decoded as UTF-8 as fetch decodes it. Not as Latin-1, although
 * a page is all ASCII (JSON escapes the rest) and Latin-1 reads it a little faster (~0.1 µs per
 * row): Node makes a Latin-1 string of over 1 MB an external string, outside V8's heap, which V8
 * collects only once ~64 MB of such strings have piled up; a page of 10,000 rows is ~2 MB, and
 * the 1M-row initial sync peaked ~35 MB higher (bench/pull-memory.ts: 245-254 MB against
 * 212-219). TextDecoder's string is on the heap, collected with the rest of the page. Reading
 * still takes the stream, so the body is used once as with fetch.
 */
class DecodedResponse extends Response {
  override async text(): Promise<string> {
    if (this.body === null || this.bodyUsed) return super.text();
    const reader = this.body.getReader();
    const chunks: Uint8Array[] = [];
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
    const bytes =
      chunks.length === 1
        ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength)
        : Buffer.concat(chunks);
    // TextDecoder drops a byte-order mark, as fetch does.
    return new TextDecoder().decode(bytes);
  }
}

/** Content-Encoding as fetch applies it: a list, the last coding applied first undone. */
function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (!encoding) return body;
  const codings = encoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding !== 'identity');
  let result = body;
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') result = gunzipSync(result);
    else if (coding === 'br') result = brotliDecompressSync(result);
    else if (coding === 'deflate') result = inflateSync(result);
    // An unknown coding is handed over as it came, as fetch does.
    else return result;
  }
  return result;
}

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers));
  return { ...headers };
}
