// The sync HTTP client: the seed's three endpoints over fetch, with the device's bearer token,
// gzip both ways (seed: Compression), and every failure sorted into what the engine does next:
// transient (network, 5xx: keep the queue and retry) or permanent for the changes concerned
// (4xx: isolate and set aside, invariant 10) or a credentials problem (401: stop, tell the user).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { isoTimestamp, TableNameSchema } from '../../shared/tables.js';
import {
  API_PREFIX,
  Cursor,
  ErrorResponse,
  PULL_NEXT_HEADERS,
  PullArraysResponse,
  PullResponse,
  PushResponse,
  StatusResponse,
  type PullNext,
  type StoredAsPushed,
  type PullRequest,
  type PushRequest,
} from '../../shared/protocol/sync.js';
import { parseRetryAfter } from './retry-after.js';
import { nodeFetch } from './transport.js';

export type FailureKind =
  /** No answer: refused, reset, timed out, DNS. */
  | 'network'
  /** The server answered 5xx, or something that is not the protocol. */
  | 'server'
  /** 401: the token is unknown or missing. */
  | 'auth'
  /** 400/403/404/409/413/422: the server refuses this request for good. */
  | 'refused';

export class SyncHttpError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly status: number | null = null,
    readonly details: { path: string; message: string }[] = [],
    /** From the server's Retry-After (429/503): wait at least this long before retrying. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }

  /** Worth retrying later with the same request. */
  get transient(): boolean {
    return this.kind === 'network' || this.kind === 'server';
  }

  /** The server's reason with its details, as the UI shows it next to a refused change. */
  get reason(): string {
    if (this.details.length === 0) return this.message;
    return `${this.message} (${this.details.map((d) => `${d.path}: ${d.message}`).join('; ')})`;
  }
}

export interface SyncClientOptions {
  serverUrl: string;
  deviceId: string;
  token: string;
  /** Injected by tests and the bench; defaults to nodeFetch (transport.ts), a fetch on node:http. */
  fetch?: typeof fetch;
  /** Per request; a pull page of 5000 rows or a 500-change push fits easily. */
  timeoutMs?: number;
  /** Request bodies above this many bytes are gzip-compressed (seed: "for large payloads"). */
  gzipAboveBytes?: number;
}

const isRowObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A pull page's shape, checked once: the protocol's PullResponse, except that each row is only
 * checked to be an object (or, asked with `row_format: 'arrays'`, an array of values named by the
 * page's `columns`) instead of copied key by key into a new record (which cost as much CPU per row
 * as applying it). What a row must hold is checked where it is applied (pulled-rows.ts). A
 * table's rows are one check of the whole array: a zod schema per row cost ~1 µs per row on a
 * pull's few pages of 10,000 (before the JIT warms up), against ~0.1 as one loop.
 */
const PullPage = PullResponse.extend({
  changes: z.partialRecord(
    TableNameSchema,
    z.custom<Record<string, unknown>[] | unknown[][]>(
      (rows) => Array.isArray(rows) && (rows.every(isRowObject) || rows.every(Array.isArray)),
      'each row must be an object, or each an array of values',
    ),
  ),
  columns: PullArraysResponse.shape.columns.optional(),
});

/** A pull page as the engine gets it: rows as objects, or as arrays named by `columns`. */
export type PulledPage = z.infer<typeof PullPage>;

type AppliedRow = NonNullable<PushResponse['applied'][keyof PushResponse['applied']]>[number];

const isStoredAsPushed = (value: unknown): value is StoredAsPushed =>
  isRowObject(value) &&
  typeof value.id === 'string' &&
  Number.isSafeInteger(value.server_version) &&
  typeof value.change_id === 'string';

/**
 * A push answer's shape, the same way: each row of `applied` is checked for what the engine reads
 * of it before anything else (an id and a server_version), not copied key by key; the rest of
 * the row is checked against the pushed row or the table's schema where it is adopted (push.ts).
 * `stored_as_pushed` is checked whole per table, one loop, as a pull page's rows are.
 */
const PushAnswer = PushResponse.extend({
  stored_as_pushed: z
    .partialRecord(
      TableNameSchema,
      z.custom<StoredAsPushed[]>(
        (rows) => Array.isArray(rows) && rows.every(isStoredAsPushed),
        'each stored_as_pushed entry must be an object with an id, a server_version and a change_id',
      ),
    )
    .optional(),
  applied: z.partialRecord(
    TableNameSchema,
    z.array(
      z.custom<AppliedRow>(
        (value) => isRowObject(value) && typeof value.id === 'string' && typeof value.server_version === 'number',
        'each applied row must be an object with an id and a server_version',
      ),
    ),
  ),
});

export const normaliseServerUrl = (url: string): string => url.trim().replace(/\/+$/, '');

export class SyncClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly gzipAboveBytes: number;

  constructor(private readonly options: SyncClientOptions) {
    this.base = normaliseServerUrl(options.serverUrl) + API_PREFIX;
    this.fetchImpl = options.fetch ?? nodeFetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.gzipAboveBytes = options.gzipAboveBytes ?? 8 * 1024;
  }

  get deviceId(): string {
    return this.options.deviceId;
  }

  /**
   * One pull page. `onNext` is called once the answer's headers have arrived, before its body is
   * read, with where the next page starts when the server says so in headers (PULL_NEXT_HEADERS;
   * an older server does not: then it is not called): the engine asks for the next page then.
   */
  pull(request: Omit<PullRequest, 'device_id'>, onNext?: (next: PullNext) => void): Promise<PulledPage> {
    const onHeaders = onNext
      ? (headers: Headers) => {
          const next = pullNextOf(headers);
          if (next) onNext(next);
          return next !== null;
        }
      : undefined;
    return this.post('/sync/pull', { device_id: this.options.deviceId, ...request }, PullPage, onHeaders);
  }

  push(request: Omit<PushRequest, 'device_id'>): Promise<PushResponse> {
    return this.post('/sync/push', { device_id: this.options.deviceId, ...request }, PushAnswer);
  }

  /** Unauthenticated liveness probe; used to notice that the server is back (seed: on reconnect). */
  status(): Promise<StatusResponse> {
    return this.send('/sync/status', { method: 'GET' }, StatusResponse);
  }

  private post<S extends z.ZodType>(
    path: string,
    body: unknown,
    schema: S,
    onHeaders?: (headers: Headers) => boolean,
  ): Promise<z.output<S>> {
    const json = Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    let payload: Buffer = json;
    if (json.length > this.gzipAboveBytes) {
      // Level 1: a push of 500 rows compresses to 27 % of its JSON instead of 26 % at the
      // default level, for two thirds of the CPU (~4 µs per row instead of ~6.5).
      payload = gzipSync(json, { level: 1 });
      headers['Content-Encoding'] = 'gzip';
    }
    return this.send(path, { method: 'POST', headers, body: payload }, schema, onHeaders);
  }

  private async send<S extends z.ZodType>(
    path: string,
    init: { method: string; headers?: Record<string, string>; body?: Buffer },
    schema: S,
    onHeaders?: (headers: Headers) => boolean,
  ): Promise<z.output<S>> {
    const url = this.base + path;
    let response: Response;
    let text: string;
    try {
      response = await this.fetchOnFreshSocketIfStale(url, init);
      // A request the callback made leaves now (node:http writes it on a later tick), before this
      // body is decoded and parsed, which holds the thread for tens of milliseconds.
      if (onHeaders && response.ok && onHeaders(response.headers)) await nextTurn();
      // Reading the body can fail too (connection cut mid-response): still a network failure.
      text = await response.text();
    } catch (error) {
      throw new SyncHttpError(
        `Cannot reach the sync server at ${this.options.serverUrl}: ${describeNetworkError(error)}`,
        'network',
      );
    }
    const parsedBody = parseJson(text);
    if (!response.ok)
      throw failureFromResponse(
        response.status,
        parsedBody,
        text,
        parseRetryAfter(response.headers.get('retry-after')),
      );
    const result = schema.safeParse(parsedBody);
    if (!result.success) {
      throw new SyncHttpError(
        `The server at ${this.options.serverUrl} answered ${init.method} ${path} with something that is not the sync protocol: ${result.error.issues[0]?.message ?? 'unreadable body'}`,
        'server',
        response.status,
      );
    }
    return result.data;
  }

  /**
   * One request. When the pooled socket it went out on turns out to be closed before any byte of
   * an answer came back (the server dropped it as idle while this process was busy, e.g. applying
   * a big page), it is sent again at once; the dead socket has left the pool, so the retry goes
   * out on another connection. Only safe because every request of the protocol may be repeated: a pull
   * is read-only and a push is idempotent by change_id (invariant 2). A request that got an
   * answer, or whose answer was cut midway, is never resent here: the engine's backoff decides.
   */
  private async fetchOnFreshSocketIfStale(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: Buffer },
  ): Promise<Response> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.fetchImpl(url, {
          method: init.method,
          headers: {
            ...init.headers,
            Accept: 'application/json',
            // The transport decodes either by Content-Encoding; asking for them is what saves bytes.
            'Accept-Encoding': ACCEPT_ENCODING,
            Authorization: `Bearer ${this.options.token}`,
          },
          body: init.body as unknown as BodyInit | undefined,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        if (attempt >= STALE_SOCKET_RETRIES || !closedBeforeAnswer(error)) throw error;
      }
    }
  }
}

/**
 * Brotli first, gzip for a server without it. Measured on the recorded pages of a 100k-row initial
 * sync (328 bytes of JSON per row): decoding costs the device 0.74 µs per row for brotli quality 1
 * against 0.62 for gzip; the server, which answers `br` at quality 1, spends 0.8 µs per row
 * compressing against 1.6 for gzip level 1, and brotli's pages are 8 % smaller.
 */
const ACCEPT_ENCODING = 'br, gzip';

/** A request is resent at most once: a second close in a row is a real failure, for the engine to retry later. */
const STALE_SOCKET_RETRIES = 1;

/**
 * The connection closed before the response began: fetch rejects (it resolves once headers
 * arrive) with the socket error as its cause. A refused connection or a timeout is not this.
 */
export function closedBeforeAnswer(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * Where the next page starts, from a pull answer's headers (PULL_NEXT_HEADERS); null when they are
 * missing (an older server) or not what the protocol says (then the client waits for the body).
 */
export function pullNextOf(headers: Headers): PullNext | null {
  const cursor = headers.get(PULL_NEXT_HEADERS.cursor);
  const timestamp = headers.get(PULL_NEXT_HEADERS.timestamp);
  const hasMore = headers.get(PULL_NEXT_HEADERS.hasMore);
  if (cursor === null || timestamp === null || (hasMore !== '1' && hasMore !== '0')) return null;
  const at = isoTimestamp.safeParse(timestamp);
  if (!Cursor.safeParse(cursor).success || !at.success) return null;
  return { cursor, timestamp: at.data, has_more: hasMore === '1' };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function failureFromResponse(status: number, body: unknown, text: string, retryAfterMs: number | null): SyncHttpError {
  const error = ErrorResponse.safeParse(body);
  const message = error.success ? error.data.error : text.slice(0, 200) || `HTTP ${status}`;
  const details = error.success ? (error.data.details ?? []) : [];
  if (status === 401) return new SyncHttpError(message, 'auth', status, details);
  // 408/429 are "try again later"; everything else below 500 is a refusal of this request.
  if (status >= 500 || status === 408 || status === 429)
    return new SyncHttpError(message, 'server', status, details, retryAfterMs);
  return new SyncHttpError(message, 'refused', status, details);
}

/** fetch hides the useful part (ECONNREFUSED, ENOTFOUND, timeout) in `cause`. */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'no answer in time';
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: string }).code;
    return code ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}
