// `npm run server`: the sync server, configured from the environment.
//   PORT (default 8000), DATABASE_URL (default: embedded PGlite), DATA_DIR (default .data/server),
//   DATABASE_POOL_SIZE (default: twice the cores, at least 4),
//   BODY_LIMIT (default 10mb), LOG_LEVEL (default info); security (http/security.ts, README):
//   TLS_CERT + TLS_KEY, TRUST_PROXY, CORS_ORIGINS, AUTH_FAILURES_PER_MINUTE,
//   DEVICE_REQUESTS_PER_MINUTE, DEVICE_ROWS_PER_MINUTE.
//   METRICS (default 1: GET /metrics on), METRICS_TOKEN (default unset: /metrics needs no token).
import { z } from 'zod';
import { CorsOrigins, RateLimits, TrustProxy } from './http/security.js';
import { DEFAULT_BODY_LIMIT, DEFAULT_PORT, startFailure, startServer, type RunningServer } from './start.js';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORT),
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: z.coerce
    .number({ error: 'DATABASE_POOL_SIZE must be a whole number from 1 to 1000' })
    .int('DATABASE_POOL_SIZE must be a whole number from 1 to 1000')
    .min(1, 'DATABASE_POOL_SIZE must be a whole number from 1 to 1000')
    .max(1000, 'DATABASE_POOL_SIZE must be a whole number from 1 to 1000')
    .optional(),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, 'BODY_LIMIT must look like 10mb or 500kb')
    .default(DEFAULT_BODY_LIMIT),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TLS_CERT: z.string().min(1).optional(),
  TLS_KEY: z.string().min(1).optional(),
  TRUST_PROXY: TrustProxy.default(false),
  CORS_ORIGINS: CorsOrigins.default([]),
  AUTH_FAILURES_PER_MINUTE: RateLimits.shape.authFailuresPerMinute,
  DEVICE_REQUESTS_PER_MINUTE: RateLimits.shape.deviceRequestsPerMinute,
  DEVICE_ROWS_PER_MINUTE: RateLimits.shape.deviceRowsPerMinute,
  METRICS: z.enum(['1', 'true', 'on', '0', 'false', 'off'], { error: 'METRICS must be 1 or 0' }).default('1'),
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
});

// An empty variable (PORT= ) means "not set", not zero.
const setVariables = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ''));
const env = Env.safeParse(setVariables);
if (!env.success) {
  console.error(
    `invalid configuration: ${env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  );
  process.exit(1);
}

let server: RunningServer;
try {
  server = await startServer({
    port: env.data.PORT,
    databaseUrl: env.data.DATABASE_URL,
    dataDir: env.data.DATA_DIR,
    poolSize: env.data.DATABASE_POOL_SIZE,
    bodyLimit: env.data.BODY_LIMIT,
    logLevel: env.data.LOG_LEVEL,
    tlsCert: env.data.TLS_CERT,
    tlsKey: env.data.TLS_KEY,
    trustProxy: env.data.TRUST_PROXY,
    corsOrigins: env.data.CORS_ORIGINS,
    limits: {
      authFailuresPerMinute: env.data.AUTH_FAILURES_PER_MINUTE,
      deviceRequestsPerMinute: env.data.DEVICE_REQUESTS_PER_MINUTE,
      deviceRowsPerMinute: env.data.DEVICE_ROWS_PER_MINUTE,
    },
    metrics: { enabled: ['1', 'true', 'on'].includes(env.data.METRICS), token: env.data.METRICS_TOKEN },
  });
} catch (error) {
  // One line saying what to do, never the error object: Node would print its fields (a lock
  // file's contents, a connection string) along with the stack.
  console.error(`npm run server failed: ${startFailure(error, env.data.PORT)}`);
  process.exit(1);
}

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  server.logger.info({ signal }, 'sync server stopping');
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
