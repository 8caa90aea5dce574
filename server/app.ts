// The Express app: body parsing (gzip accepted), response compression, request logs, the sync
// routes validated at the door with the shared zod schemas, and one error middleware.
import compression from 'compression';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { LIVE_PATH } from '../shared/protocol/live.js';
import { API_PREFIX, AuditQuery, PullRequest, PushRequest } from '../shared/protocol/sync.js';
import type { TableName } from '../shared/tables.js';
import type { ServerDatabase } from './db/client.js';
import { adminRoutes } from './http/admin.js';
import { assertBodyShape } from './http/body-shape.js';
import { assertActingAsItself, assertManager, currentDevice, requireDevice } from './http/auth.js';
import { errorHandler, HttpError, validationError } from './http/errors.js';
import { requestLog, type RequestFacts } from './http/request-log.js';
import { announcePush, type ChangeBus } from './live/index.js';
import { recordHistory } from './sync/audit.js';
import { pullChanges } from './sync/pull.js';
import { pushChanges } from './sync/push.js';
import { syncStatus } from './sync/status.js';

export interface AppOptions {
  db: ServerDatabase;
  logger: Logger;
  /** Largest accepted request body (after gzip inflation), in body-parser's notation, e.g. "10mb". */
  bodyLimit: string;
  /** Embedded mode only: enables the loopback enrollment route for device:add (http/admin.ts). */
  adminSecret?: () => string | undefined;
  /** Live sync: where a committed push is announced (server/live). None: no announcements. */
  changes?: ChangeBus;
}

const rowCount = (changes: Partial<Record<TableName, unknown[]>>) =>
  Object.values(changes).reduce((n, rows) => n + (rows?.length ?? 0), 0);

export function createApp({ db, logger, bodyLimit, adminSecret, changes }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.locals.logger = logger;
  app.use(requestLog(logger));
  app.use(compression());
  // Every POST body is read as JSON whatever its Content-Type claims (a forgotten header gets a
  // clear JSON error instead of an empty body); body-parser inflates Content-Encoding: gzip.
  app.use(express.json({ limit: bodyLimit, type: () => true, inflate: true, strict: true }));

  const auth = requireDevice(db);
  const body = (req: express.Request) => {
    if (req.body === undefined) throw new HttpError(400, 'request body must be a JSON object');
    assertBodyShape(req.body);
    return req.body as unknown;
  };

  app.get(`${API_PREFIX}/sync/status`, async (_req, res) => {
    res.json(await syncStatus(db));
  });

  app.post(`${API_PREFIX}/sync/pull`, auth, async (req, res) => {
    const parsed = PullRequest.safeParse(body(req));
    if (!parsed.success) throw validationError('invalid pull request', parsed.error);
    const device = currentDevice(res);
    assertActingAsItself(device, parsed.data.device_id);
    const response = await pullChanges(db, device, parsed.data);
    res.locals.facts = {
      tables: Object.keys(response.changes),
      rows: rowCount(response.changes),
    } satisfies RequestFacts;
    res.json(response);
  });

  app.post(`${API_PREFIX}/sync/push`, auth, async (req, res) => {
    // Validated whole before anything is written (invariant 8).
    const parsed = PushRequest.safeParse(body(req));
    if (!parsed.success) throw validationError('invalid push', parsed.error);
    const device = currentDevice(res);
    assertActingAsItself(device, parsed.data.device_id);
    res.locals.facts = {
      tables: Object.keys(parsed.data.changes),
      rows: rowCount(parsed.data.changes),
    } satisfies RequestFacts;
    const response = await pushChanges(db, device, parsed.data, logger);
    // Committed: the other devices that read these tables get a poke (server/live).
    announcePush(changes, logger, device.id, parsed.data, response);
    res.json(response);
  });

  // The live socket is an upgrade (server/live/hub.ts); a plain GET is told so.
  app.get(LIVE_PATH, () => {
    throw new HttpError(426, `${LIVE_PATH} is a WebSocket: connect with an Upgrade: websocket request`);
  });

  app.get(`${API_PREFIX}/audit`, auth, async (req, res) => {
    assertManager(currentDevice(res), 'the audit trail');
    const parsed = AuditQuery.safeParse(req.query);
    if (!parsed.success) throw validationError('invalid audit query', parsed.error);
    const entries = await recordHistory(db, parsed.data);
    res.locals.facts = { tables: [parsed.data.table], rows: entries.length } satisfies RequestFacts;
    res.json({ success: true, entries });
  });

  app.use(`${API_PREFIX}/admin`, (req, res, next) => {
    const secret = adminSecret?.();
    if (!secret) throw new HttpError(404, `no route ${req.method} ${req.originalUrl}`);
    adminRoutes(db, secret)(req, res, next);
  });

  app.use((req, _res) => {
    throw new HttpError(404, `no route ${req.method} ${req.path}`);
  });
  app.use(errorHandler(bodyLimit));
  return app;
}
