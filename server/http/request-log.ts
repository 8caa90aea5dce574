// One structured JSON line per request (device, route, tables, rows, duration, status); a failed
// sync is logged at error level with its reason. Headers are never logged, so no token is either.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { API_PREFIX } from '../../shared/protocol/sync.js';

export interface RequestFacts {
  tables?: string[];
  rows?: number;
  /** Rows per table of a pull page or a push (sync analytics and /metrics count them by table). */
  rowsByTable?: Record<string, number>;
  /** What a push's conflicts were decided by (the /metrics conflict counter). */
  conflicts?: { table: string; rule: string; resolution: string }[];
}

/** The facts of a pull page or a push body: its tables and rows, in all and per table. */
export const changeFacts = (changes: Partial<Record<string, unknown[]>>): RequestFacts =>
  factsOf(Object.fromEntries(Object.entries(changes).map(([table, rows]) => [table, rows?.length ?? 0])));

/** The same facts from the row counts per table. */
export function factsOf(rowsByTable: Record<string, number>): RequestFacts {
  return {
    tables: Object.keys(rowsByTable),
    rows: Object.values(rowsByTable).reduce((n, rows) => n + rows, 0),
    rowsByTable,
  };
}

export const requestLog =
  (logger: Logger): RequestHandler =>
  (req, res, next) => {
    const started = process.hrtime.bigint();
    res.locals.log = logger;
    res.on('finish', () => {
      const facts = (res.locals.facts ?? {}) as RequestFacts;
      const line = {
        method: req.method,
        route: req.path,
        status: res.statusCode,
        duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
        device: (res.locals.device as { id?: string } | undefined)?.id ?? null,
        tables: facts.tables,
        rows: facts.rows,
        ...(typeof res.locals.errorMessage === 'string' && res.locals.errorMessage
          ? { error: res.locals.errorMessage }
          : {}),
      };
      const isSync = req.path.startsWith(`${API_PREFIX}/sync/`);
      if (res.statusCode >= 500 || (isSync && res.statusCode >= 400)) logger.error(line, 'sync failed');
      else if (res.statusCode >= 400) logger.warn(line, 'request refused');
      else logger.info(line, 'request');
    });
    next();
  };
