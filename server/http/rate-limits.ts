// Limits on abuse, kept per address and per device so one misbehaving client cannot slow the
// others: each gets its own budget, and a refusal is a 429 with Retry-After (seconds until the
// window resets), which the sync engine waits out instead of retrying at once.
//   - failed authentications per address (token guessing): counted only when the answer is 401;
//   - requests per device, and rows pushed per device, per minute (a runaway or stolen device).
import type { RequestHandler, Response } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit, type Options } from 'express-rate-limit';
import { currentDevice } from './auth.js';
import { HttpError } from './errors.js';
import { RateLimits } from './security.js';

const WINDOW_MS = 60_000;

const tooMany = (what: string) => (_req: unknown, res: Response, next: (error: unknown) => void) =>
  next(new HttpError(429, `${what}; retry after ${res.get('Retry-After') ?? 'a while'} s`));

export interface DeviceLimits {
  /** Before authentication: refuses an address that failed to authenticate too often. */
  authFailures: RequestHandler;
  /** After authentication: the device's request and row budgets. */
  perDevice: RequestHandler[];
}

export function deviceLimits(configured: Partial<RateLimits> = {}): DeviceLimits {
  const limits = RateLimits.parse(configured);
  const authFailures = authFailureBudget(limits.authFailuresPerMinute);
  const requests = rateLimit({
    windowMs: WINDOW_MS,
    limit: limits.deviceRequestsPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_req, res) => `device:${currentDevice(res).id}`,
    handler: tooMany('this device sends more requests than its share'),
  });
  return { authFailures, perDevice: [requests, rowBudget(limits.deviceRowsPerMinute)] };
}

/**
 * Failed authentications per address. Only answers that were 401 are counted, once they are
 * sent: express-rate-limit's skipSuccessfulRequests would count every request while in flight,
 * and a burst of honest concurrent requests from a store's shared address would trip it.
 */
function authFailureBudget(limit: number): RequestHandler {
  const store = new MemoryStore();
  store.init({ windowMs: WINDOW_MS } as Options);
  return async (req, res, next) => {
    const key = ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    const seen = await store.get(key);
    if (seen && seen.totalHits >= limit) {
      const seconds = Math.max(
        1,
        Math.ceil(((seen.resetTime?.getTime() ?? Date.now() + WINDOW_MS) - Date.now()) / 1000),
      );
      res.set('Retry-After', String(seconds));
      throw new HttpError(429, `too many failed authentications from this address; retry after ${seconds} s`);
    }
    res.on('finish', () => {
      if (res.statusCode === 401) void store.increment(key);
    });
    next();
  };
}

/** The rows a push carries (`changes: {table: rows[]}`); 0 for any other body. */
function rowsIn(body: unknown): number {
  const changes = (body as { changes?: unknown } | undefined)?.changes;
  if (!changes || typeof changes !== 'object') return 0;
  return Object.values(changes).reduce<number>((n, rows) => n + (Array.isArray(rows) ? rows.length : 0), 0);
}

/**
 * Rows pushed per device per fixed one-minute window. express-rate-limit counts requests, not
 * weights, hence this small counter. A push is refused only when the window already holds rows,
 * so one push of any size (bounded by BODY_LIMIT) can always get through.
 */
function rowBudget(limit: number): RequestHandler {
  const windows = new Map<string, { start: number; rows: number }>();
  return (req, res, next) => {
    const rows = rowsIn(req.body);
    if (rows === 0) return next();
    const now = Date.now();
    const id = currentDevice(res).id;
    let window = windows.get(id);
    if (!window || now - window.start >= WINDOW_MS) {
      // Drop finished windows now and then, so the map holds only recently active devices.
      if (windows.size > 1000) for (const [key, w] of windows) if (now - w.start >= WINDOW_MS) windows.delete(key);
      window = { start: now, rows: 0 };
      windows.set(id, window);
    }
    if (window.rows > 0 && window.rows + rows > limit) {
      res.set('Retry-After', String(Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000))));
      throw new HttpError(
        429,
        `this device pushes more than its share (${limit} rows a minute); retry after ${res.get('Retry-After')} s`,
      );
    }
    window.rows += rows;
    next();
  };
}
