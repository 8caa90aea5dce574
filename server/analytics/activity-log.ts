// The durable, countable part of the request log: when a request of an authenticated device
// finishes, an upsert adds it to that device's row for the day in device_activity (pulls, pushes,
// rows, failures, refused changes; requests finishing together share one upsert, ActivityWriter),
// which GET /api/v1/sync/devices reads. It runs after the answer is sent and never fails a
// request: a lost increment is logged and only understates a dashboard.
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import { API_PREFIX } from '../../shared/protocol/sync.js';
import { deviceForToken } from '../auth/devices.js';
import type { Queryable } from '../db/client.js';
import type { device_activity } from '../db/schema.js';
import { arrayLiteral } from '../sync/any-of.js';
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

/** The day's counters a request adds to, in device_activity's column order. */
const COUNTERS = ['pulls', 'pushes', 'rows_pulled', 'rows_pushed', 'failures', 'refused'] as const;

/** One day's counters of one device, as a write adds them. */
type Counter = (typeof COUNTERS)[number];
type Counters = Record<Counter, number> & { device_id: string };

const countersOf = (increment: ActivityIncrement): Counters => {
  const counters = { device_id: increment.device_id } as Counters;
  for (const name of COUNTERS) counters[name] = increment[name] ?? 0;
  return counters;
};

const intArray = (values: number[]) => `{${values.join(',')}}`;

/**
 * Adds the increments to their devices' rows for today (UTC, by the database's clock), in ONE
 * statement: a named statement (planned once per connection) whose parameters are one array per
 * column, whatever the number of devices. At most one increment per device (an upsert may not
 * touch one row twice).
 */
async function addActivities(db: Queryable, increments: readonly ActivityIncrement[]): Promise<void> {
  if (increments.length === 0) return;
  const rows = increments.map(countersOf);
  const column = (name: Counter) => intArray(rows.map((row) => row[name]));
  await executeNamed(
    db,
    sql`insert into device_activity (device_id, day, pulls, pushes, rows_pulled, rows_pushed, failures, refused)
        select d, (now() at time zone 'utc')::date, p, s, rp, rs, f, r
        from unnest(${arrayLiteral(rows.map((row) => row.device_id))}::text[], ${column('pulls')}::int[],
                    ${column('pushes')}::int[], ${column('rows_pulled')}::int[], ${column('rows_pushed')}::int[],
                    ${column('failures')}::int[], ${column('refused')}::int[]) as u(d, p, s, rp, rs, f, r)
        on conflict (device_id, day) do update set
          pulls = device_activity.pulls + excluded.pulls,
          pushes = device_activity.pushes + excluded.pushes,
          rows_pulled = device_activity.rows_pulled + excluded.rows_pulled,
          rows_pushed = device_activity.rows_pushed + excluded.rows_pushed,
          failures = device_activity.failures + excluded.failures,
          refused = device_activity.refused + excluded.refused`,
  );
}

/**
 * Writes the increments of finished requests, never two statements at once: the increments of
 * requests that finish while a write is on its way are summed per device and go together in the
 * next one (group commit). A request finishing alone is written at once, as before; a burst of
 * 50 pushes made 50 upserts, each its own transaction with its WAL flush (~0.35 ms of PostgreSQL's
 * CPU, and a statement's round trip for the server, measured per request: docs/benchmarks.md, "The
 * push's CPU per row"), and makes a handful. What is waiting when the process dies is lost, as an
 * upsert on its way was before: a dashboard undercounts, nothing else reads these rows.
 */
export class ActivityWriter {
  private waiting = new Map<string, Counters>();
  private writing: Promise<void> | null = null;
  /** Statements written so far (the tests count them). */
  statements = 0;

  constructor(
    private readonly db: Queryable,
    private readonly logger: Logger,
  ) {}

  add(increment: ActivityIncrement): void {
    const next = countersOf(increment);
    const held = this.waiting.get(next.device_id);
    if (held) for (const name of COUNTERS) held[name] += next[name];
    else this.waiting.set(next.device_id, next);
    this.writing ??= this.drain();
  }

  /** Resolves once every increment added so far is written (or its loss logged). */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.size > 0) {
        this.statements += 1;
        // In device order: two server processes writing the same devices lock their rows in the
        // same order, so one upsert waits for the other instead of both deadlocking.
        const batch = [...this.waiting.values()].sort((a, b) => (a.device_id < b.device_id ? -1 : 1));
        this.waiting = new Map();
        await addActivities(this.db, batch).catch((err: unknown) =>
          this.logger.warn(
            { err, devices: batch.length },
            'device activity not recorded (sync analytics will undercount)',
          ),
        );
      }
    } finally {
      this.writing = null;
    }
  }
}

/** Middleware: records every finished request of an authenticated device (see ActivityWriter). */
export const recordDeviceActivity = (db: Queryable, logger: Logger): RequestHandler => {
  const writer = new ActivityWriter(db, logger);
  return (req, res, next) => {
    res.on('finish', () => {
      const record = async () => {
        const device = await deviceOf(db, req, res);
        const increment = device ? activityOf(req, res, device) : null;
        if (increment) writer.add(increment);
      };
      record().catch((err: unknown) =>
        logger.warn({ err, route: req.path }, 'device activity not recorded (sync analytics will undercount)'),
      );
    });
    next();
  };
};
