// The durable, countable part of the request log: when a request of an authenticated device
// finishes, one upsert adds it to that device's row for the day in device_activity (pulls, pushes,
// rows, failures, refused changes), which GET /api/v1/sync/devices reads. It runs after the answer
// is sent and never fails a request: a lost increment is logged and only understates a dashboard.
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import { API_PREFIX } from '../../shared/protocol/sync.js';
import { deviceForToken } from '../auth/devices.js';
import type { Queryable } from '../db/client.js';
import type { device_activity } from '../db/schema.js';
import { executeNamed } from '../sync/named-statement.js';
import type { RequestFacts } from '../http/request-log.js';

export const PULL_PATH = `${API_PREFIX}/sync/pull`;
export const PUSH_PATH = `${API_PREFIX}/sync/push`;

export type ActivityIncrement = Omit<typeof device_activity.$inferInsert, 'day'> & { device_id: string };

/** Answers the device should retry (timeout, rate limit, 5xx): a failure, but nothing refused for good. */
const isTransient = (status: number) => status >= 500 || status === 408 || status === 429;

/** Rows in a push body as sent, for a push refused before it was parsed (400): `changes.<table>[]`. */
function rowsInBody(body: unknown): number {
  const changes = (body as { changes?: unknown } | undefined)?.changes;
  if (!changes || typeof changes !== 'object') return 0;
  return Object.values(changes).reduce<number>((n, rows) => n + (Array.isArray(rows) ? rows.length : 0), 0);
}

/** What one finished request adds to `device`'s day, or null when it adds nothing. */
export function activityOf(req: Request, res: Response, device: string): ActivityIncrement | null {
  const facts = (res.locals.facts ?? {}) as RequestFacts;
  const route = req.method === 'POST' ? req.path : null;
  if (res.statusCode < 400) {
    if (route === PULL_PATH) return { device_id: device, pulls: 1, rows_pulled: facts.rows ?? 0 };
    if (route === PUSH_PATH) return { device_id: device, pushes: 1, rows_pushed: facts.rows ?? 0 };
    return null;
  }
  // Invariant 10: a change refused for good (permission, validation) is set aside by the device
  // and needs the manager's attention; that is what `refused` counts.
  const refused = route === PUSH_PATH && !isTransient(res.statusCode) ? (facts.rows ?? rowsInBody(req.body)) : 0;
  return { device_id: device, failures: 1, refused };
}

/**
 * The device a finished request belongs to. Routes authenticate after the body is read, so a body
 * refused unread (malformed JSON 400, oversized 413) has no device yet: its token is looked up
 * here, for those two answers only (a wrong token, 401, stays unattributed and costs nothing).
 */
async function deviceOf(db: Queryable, req: Request, res: Response): Promise<string | null> {
  const known = (res.locals.device as { id?: string } | undefined)?.id;
  if (known) return known;
  if (res.statusCode !== 400 && res.statusCode !== 413) return null;
  const token = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
  return token ? ((await deviceForToken(db, token))?.id ?? null) : null;
}

/** Adds one request to its device's row for today (UTC, by the database's clock). */
export async function addActivity(db: Queryable, increment: ActivityIncrement): Promise<void> {
  // Once per request: a named statement (planned once per connection) with every counter a
  // parameter, instead of an upsert drizzle builds anew each time.
  const { device_id, pulls = 0, pushes = 0, rows_pulled = 0, rows_pushed = 0, failures = 0, refused = 0 } = increment;
  await executeNamed(
    db,
    sql`insert into device_activity (device_id, day, pulls, pushes, rows_pulled, rows_pushed, failures, refused)
        values (${device_id}, (now() at time zone 'utc')::date, ${pulls}, ${pushes}, ${rows_pulled}, ${rows_pushed},
                ${failures}, ${refused})
        on conflict (device_id, day) do update set
          pulls = device_activity.pulls + excluded.pulls,
          pushes = device_activity.pushes + excluded.pushes,
          rows_pulled = device_activity.rows_pulled + excluded.rows_pulled,
          rows_pushed = device_activity.rows_pushed + excluded.rows_pushed,
          failures = device_activity.failures + excluded.failures,
          refused = device_activity.refused + excluded.refused`,
  );
}

/** Middleware: records every finished request of an authenticated device (see addActivity). */
export const recordDeviceActivity =
  (db: Queryable, logger: Logger): RequestHandler =>
  (req, res, next) => {
    res.on('finish', () => {
      const record = async () => {
        const device = await deviceOf(db, req, res);
        const increment = device ? activityOf(req, res, device) : null;
        if (increment) await addActivity(db, increment);
      };
      record().catch((err: unknown) =>
        logger.warn({ err, route: req.path }, 'device activity not recorded (sync analytics will undercount)'),
      );
    });
    next();
  };
