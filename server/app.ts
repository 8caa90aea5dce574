// The Express app: body parsing (gzip accepted), response compression, request logs, the sync
// routes validated at the door with the shared zod schemas, and one error middleware.
import { constants as zlibConstants } from 'node:zlib';
import compression from 'compression';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { DeviceActivityQuery } from '../shared/protocol/analytics.js';
import { LIVE_PATH } from '../shared/protocol/live.js';
import { API_PREFIX, AuditQuery, PULL_NEXT_HEADERS, PullRequest, PushRequest } from '../shared/protocol/sync.js';
import { DeviceRevocations } from './auth/revocation.js';
import type { ServerDatabase } from './db/client.js';
import { adminRoutes } from './http/admin.js';
import { openApiJson } from './openapi/document.js';
import { assertBodyShape } from './http/body-shape.js';
import { assertActingAsItself, assertManager, currentDevice, requireDevice } from './http/auth.js';
import { deviceRoutes } from './http/devices.js';
import { errorHandler, HttpError, validationError } from './http/errors.js';
import { deviceLimits } from './http/rate-limits.js';
import { changeFacts, factsOf, requestLog, type RequestFacts } from './http/request-log.js';
import { corsFor, securityHeaders, type SecurityOptions } from './http/security.js';
import { recordDeviceActivity } from './analytics/activity-log.js';
import { deviceActivity } from './analytics/device-activity.js';
import { createMetrics, type MetricsOptions } from './analytics/metrics.js';
import { announcePush, type ChangeBus } from './live/index.js';
import { recordHistory } from './sync/audit.js';
import { servePull } from './sync/pull.js';
import { acceptPush } from './sync/push.js';
import { syncStatus } from './sync/status.js';

/** Brotli's window for answers (log2 bytes): the decoder's ring buffer on the device is this large. */
export const BROTLI_WINDOW_BITS = 18;

export interface AppOptions {
  db: ServerDatabase;
  logger: Logger;
  /** Largest accepted request body (after gzip inflation), in body-parser's notation, e.g. "10mb". */
  bodyLimit: string;
  /** Embedded mode only: enables the loopback enrollment route for device:add (http/admin.ts). */
  adminSecret?: () => string | undefined;
  /** trust proxy, CORS origins, rate limits (http/security.ts); defaults: direct, no CORS, default limits. */
  security?: SecurityOptions;
  /** Told of every revocation made through this app, for the live connections to close (auth/revocation.ts). */
  revocations?: DeviceRevocations;
  /** GET /metrics (Prometheus): on by default, optionally behind a bearer token. */
  metrics?: MetricsOptions;
  /** Live sync: where a committed push is announced (server/live). None: no announcements. */
  changes?: ChangeBus;
}

export function createApp({
  db,
  logger,
  bodyLimit,
  adminSecret,
  security = {},
  revocations = new DeviceRevocations(),
  metrics: metricsOptions = {},
  changes,
}: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', security.trustProxy ?? false);
  app.locals.logger = logger;
  app.locals.revocations = revocations;
  const metrics = metricsOptions.enabled === false ? null : createMetrics(db, logger, metricsOptions);
  app.use(requestLog(logger));
  app.use(recordDeviceActivity(db, logger));
  if (metrics) app.use(metrics.observe);
  app.use(securityHeaders());
  app.use(corsFor(security.corsOrigins));
  // Level 1: a pull page gzips to ~5 % more bytes than at the default 6 (38 vs 36 B per row) for
  // a third of the CPU; compressing pull pages and push answers was a tenth of the server's CPU.
  // Brotli (for a client that accepts br) at quality 1, not the package's 4: half of gzip 1's CPU
  // per pulled row for 15 % fewer bytes (36 vs 42 B per row), and as cheap to decode.
  // Window of 2^18 bytes, not brotli's default 2^22: the decoder allocates a ring buffer the size
  // of the window, so each pull page cost the device 4 MB of fresh memory besides the page itself
  // (10,000 rows are ~3.2 MB of JSON), and a long pull's peak RSS is what issue 9 measures. A
  // row's redundancy is within the row and its neighbours: the pages are no larger (0.1 % smaller on the 1M-row initial sync).
  app.use(
    compression({
      level: 1,
      brotli: {
        params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1, [zlibConstants.BROTLI_PARAM_LGWIN]: BROTLI_WINDOW_BITS },
      },
    }),
  );
  // Every POST body is read as JSON whatever its Content-Type claims (a forgotten header gets a
  // clear JSON error instead of an empty body); body-parser inflates Content-Encoding: gzip.
  app.use(express.json({ limit: bodyLimit, type: () => true, inflate: true, strict: true }));

  const limits = deviceLimits(security.limits);
  // One handler for the routes: the address's failure budget, the token, then the device's budgets.
  const auth: RequestHandler = express.Router().use(limits.authFailures, requireDevice(db), ...limits.perDevice);
  const body = (req: express.Request) => {
    if (req.body === undefined) throw new HttpError(400, 'request body must be a JSON object');
    assertBodyShape(req.body);
    return req.body as unknown;
  };

  // The protocol's OpenAPI document, for client teams: public like status, it holds no data.
  app.get(`${API_PREFIX}/openapi.json`, (_req, res) => {
    res.type('application/json').send(openApiJson());
  });

  app.get(`${API_PREFIX}/sync/status`, async (_req, res) => {
    res.json(await syncStatus(db));
  });

  app.post(`${API_PREFIX}/sync/pull`, auth, async (req, res) => {
    const input = body(req);
    const parsed = PullRequest.safeParse(input);
    if (!parsed.success) throw validationError('invalid pull request', parsed.error, input);
    const device = currentDevice(res);
    assertActingAsItself(device, parsed.data.device_id);
    const answer = await servePull(db, device, parsed.data);
    res.locals.facts = factsOf(answer.rowsByTable) satisfies RequestFacts;
    // Not res.send: it hashes the whole page for an ETag no pull is ever conditional on. A page
    // of several pieces goes out piece by piece (to the compressor, or the socket), never joined.
    res.type('application/json');
    // Where the next page starts, before the body (PULL_NEXT_HEADERS): the client asks for it
    // while this page is still on its way and being parsed.
    res.setHeader(PULL_NEXT_HEADERS.cursor, answer.next.cursor);
    res.setHeader(PULL_NEXT_HEADERS.timestamp, answer.next.timestamp);
    res.setHeader(PULL_NEXT_HEADERS.hasMore, answer.next.has_more ? '1' : '0');
    const [first, ...more] = answer.pieces;
    if (more.length === 0) {
      res.end(first);
      return;
    }
    for (const piece of answer.pieces) res.write(piece);
    res.end();
  });

  app.post(`${API_PREFIX}/sync/push`, auth, async (req, res) => {
    // Validated whole before anything is written (invariant 8).
    const input = body(req);
    const parsed = PushRequest.safeParse(input);
    if (!parsed.success) throw validationError('invalid push', parsed.error, input);
    const device = currentDevice(res);
    assertActingAsItself(device, parsed.data.device_id);
    const facts: RequestFacts = changeFacts(parsed.data.changes);
    res.locals.facts = facts;
    const response = await acceptPush(db, device, parsed.data, logger, input);
    facts.conflicts = response.conflicts.map(({ table, rule, resolution }) => ({ table, rule, resolution }));
    // Committed: the other devices that read these tables get a poke (server/live).
    announcePush(changes, db, logger, device, parsed.data, response);
    // Not res.json: res.send copies the answer (it carries every stored row back) into a Buffer
    // to hash it for an ETag no push is ever conditional on.
    res.type('application/json').end(JSON.stringify(response));
  });

  // The live socket is an upgrade (server/live/hub.ts); a plain GET is told so.
  app.get(LIVE_PATH, () => {
    throw new HttpError(426, `${LIVE_PATH} is a WebSocket: connect with an Upgrade: websocket request`);
  });

  app.get(`${API_PREFIX}/audit`, auth, async (req, res) => {
    assertManager(currentDevice(res), 'the audit trail');
    const parsed = AuditQuery.safeParse(req.query);
    if (!parsed.success) throw validationError('invalid audit query', parsed.error, req.query);
    const entries = await recordHistory(db, parsed.data);
    res.locals.facts = { tables: [parsed.data.table], rows: entries.length } satisfies RequestFacts;
    res.json({ success: true, entries });
  });

  app.use(`${API_PREFIX}/devices`, auth, deviceRoutes(db, revocations));

  // Sync analytics for the manager's dashboard: per device, its traffic, conflicts and failures.
  app.get(`${API_PREFIX}/sync/devices`, auth, async (req, res) => {
    assertManager(currentDevice(res), 'the sync analytics of every device');
    const parsed = DeviceActivityQuery.safeParse(req.query);
    if (!parsed.success) throw validationError('invalid sync analytics query', parsed.error, req.query);
    res.json(await deviceActivity(db, parsed.data.days));
  });

  // Prometheus scrapes, outside the versioned API (see analytics/metrics.ts).
  if (metrics) app.get('/metrics', metrics.scrape);

  app.use(`${API_PREFIX}/admin`, (req, res, next) => {
    const secret = adminSecret?.();
    if (!secret) throw new HttpError(404, `no route ${req.method} ${req.originalUrl}`);
    adminRoutes(db, secret, revocations)(req, res, next);
  });

  app.use((req, _res) => {
    throw new HttpError(404, `no route ${req.method} ${req.path}`);
  });
  app.use(errorHandler(bodyLimit));
  return app;
}
