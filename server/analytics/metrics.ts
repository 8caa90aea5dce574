// GET /metrics: the server in Prometheus' text format (prom-client), for whoever runs it. Request
// rate and latency per route (one histogram: its _count is the rate), rows pulled and pushed per
// table, conflicts per table, rule and resolution, devices active in the last 24 h (read from the
// devices table at scrape time), and the process' own default metrics. One registry per app, so
// several servers in one process (the tests) never share or clash over a series.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { gt } from 'drizzle-orm';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { roles } from '../../shared/tables.js';
import type { Queryable } from '../db/client.js';
import { devices } from '../db/schema.js';
import { HttpError } from '../http/errors.js';
import type { RequestFacts } from '../http/request-log.js';
import { ACTIVE_WINDOW_MS } from '../sync/status.js';
import { PULL_PATH, PUSH_PATH } from './activity-log.js';

export interface MetricsOptions {
  /** Default true; METRICS=0 turns /metrics off (404) and nothing is measured. */
  enabled?: boolean;
  /** When set, a scrape must send `Authorization: Bearer <token>` (METRICS_TOKEN). */
  token?: string;
}

export interface ServerMetrics {
  registry: Registry;
  /** Middleware: observes every finished request. */
  observe: RequestHandler;
  /** The GET /metrics handler (token check included). */
  scrape: RequestHandler;
}

/**
 * The route label: the matched route's pattern, never the raw path (a client must not be able to
 * make new series by inventing paths). A pull or push refused before routing (bad JSON, too large)
 * still counts for its route; any other unmatched request is `unmatched`.
 */
function routeOf(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return req.baseUrl + route;
  if (req.method === 'POST' && (req.path === PULL_PATH || req.path === PUSH_PATH)) return req.path;
  return 'unmatched';
}

let processRegistry: Registry | undefined;

/** prom-client's process metrics (CPU, memory, event loop), collected once per process however many apps it runs. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function createMetrics(
  db: Queryable,
  logger: Logger,
  options: Pick<MetricsOptions, 'token'> = {},
): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];

  const requestDuration = new Histogram({
    name: 'insight_http_request_duration_seconds',
    help: 'HTTP requests by route, method and status: latency (the _count series gives the request rate)',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const rowsPulled = new Counter({
    name: 'insight_sync_rows_pulled_total',
    help: 'Rows sent to devices in pulled pages, by table',
    labelNames: ['table'] as const,
    registers,
  });
  const rowsPushed = new Counter({
    name: 'insight_sync_rows_pushed_total',
    help: 'Rows received in accepted pushes, by table',
    labelNames: ['table'] as const,
    registers,
  });
  const conflicts = new Counter({
    name: 'insight_sync_conflicts_total',
    help: 'Conflicts reported in push answers, by table, rule and resolution (a push retried after a lost answer reports its conflicts again)',
    labelNames: ['table', 'rule', 'resolution'] as const,
    registers,
  });
  new Gauge({
    name: 'insight_active_devices',
    help: 'Devices that pulled or pushed in the last 24 hours, by role',
    labelNames: ['role'] as const,
    registers,
    async collect() {
      try {
        const since = new Date(Date.now() - ACTIVE_WINDOW_MS);
        const active = await db.select({ role: devices.role }).from(devices).where(gt(devices.last_sync_at, since));
        for (const role of roles) this.set({ role }, active.filter((d) => d.role === role).length);
      } catch (err) {
        // A scrape still answers with every other series; the gauge keeps its last value.
        logger.warn({ err }, 'metrics: active devices could not be read');
      }
    },
  });

  const observe: RequestHandler = (req, res, next) => {
    const stop = requestDuration.startTimer();
    res.on('finish', () => {
      stop({ route: routeOf(req), method: req.method, status: String(res.statusCode) });
      if (res.statusCode >= 400 || req.method !== 'POST') return;
      const facts = (res.locals.facts ?? {}) as RequestFacts;
      const rows = req.path === PULL_PATH ? rowsPulled : req.path === PUSH_PATH ? rowsPushed : null;
      for (const [table, n] of Object.entries(facts.rowsByTable ?? {})) if (n > 0) rows?.inc({ table }, n);
      for (const conflict of facts.conflicts ?? []) conflicts.inc(conflict);
    });
    next();
  };

  const expected = options.token ? digest(options.token) : null;
  const scrape: RequestHandler = async (req, res) => {
    if (expected) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
      // Compared as digests, in constant time: the answer's timing says nothing about the token.
      if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
        res.set('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new HttpError(401, 'metrics need the METRICS_TOKEN: send Authorization: Bearer <METRICS_TOKEN>');
      }
    }
    const scraped = Registry.merge([processMetrics(), registry]);
    res.type(registry.contentType).send(await scraped.metrics());
  };

  return { registry, observe, scrape };
}
