// The server's security settings (env: TRUST_PROXY, CORS_ORIGINS, the rate limits), in one
// zod schema so `npm run server` and tests read them the same way, and the browser-facing
// middleware: helmet's headers and CORS only for the origins an operator names.
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { z } from 'zod';

/** Express's `trust proxy`: false (direct), true, a hop count, or addresses/subnets ("loopback", "10.0.0.0/8"). */
export const TrustProxy = z
  .string()
  .trim()
  .transform((value): boolean | number | string => {
    if (value === '' || value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    return value;
  });

/** Comma-separated browser origins, e.g. `https://dashboard.example.com`; each an origin, nothing more. */
export const CorsOrigins = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine(
          (origin) => URL.canParse(origin) && new URL(origin).origin === origin,
          'each CORS origin must look like https://host[:port], without a path',
        ),
    ),
  );

const perMinute = z.coerce.number().int().min(1);

export const RateLimits = z.object({
  /** Failed authentications (401) one address may make per minute before it gets 429. */
  authFailuresPerMinute: perMinute.default(30),
  /** Authenticated requests one device may make per minute (an initial sync of 100k rows at 1000 a page is ~100 requests in seconds). */
  deviceRequestsPerMinute: perMinute.default(3000),
  /** Rows one device may push per minute (a single push is always allowed when under no load). */
  deviceRowsPerMinute: perMinute.default(100_000),
});
export type RateLimits = z.output<typeof RateLimits>;

export interface SecurityOptions {
  /** Express `trust proxy` (see TrustProxy); default false: the socket's address is the client's. */
  trustProxy?: boolean | number | string;
  /** Browser origins allowed to call the API; default none (no CORS headers at all). */
  corsOrigins?: string[];
  limits?: Partial<RateLimits>;
}

/** helmet's defaults suit a JSON API: nosniff, no framing, no referrer, HSTS (honoured over HTTPS). */
export const securityHeaders = (): RequestHandler => helmet();

/**
 * CORS for the configured origins only. With none configured, nothing is added: a browser page
 * on another origin cannot read any answer, nor send the Authorization header (its preflight fails).
 */
export function corsFor(origins: readonly string[] = []): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (!origin || !allowed.has(origin)) return next();
    res.vary('Origin');
    res.set('Access-Control-Allow-Origin', origin);
    if (req.method !== 'OPTIONS') return next();
    res.set('Access-Control-Allow-Methods', 'GET, POST');
    res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type, Content-Encoding');
    res.set('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
