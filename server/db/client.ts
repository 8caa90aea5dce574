// Opens the server's database: a real PostgreSQL when a URL is given (production, the test
// suite), else the embedded PGlite (real Postgres in WASM) in a local folder, so a newcomer needs
// nothing installed. Either way the drizzle migrations are applied before the server listens.
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { claimEmbeddedFolder } from './embedded-lock.js';
import * as schema from './schema.js';

export type ServerDatabase = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A database handle or an open transaction on it: both run the same queries. */
export type Queryable = Pick<ServerDatabase, 'select' | 'insert' | 'update' | 'execute'>;

export interface OpenDatabase {
  db: ServerDatabase;
  kind: 'postgres' | 'pglite';
  /** Where the data lives, for the start-up log line (the URL without password, or the folder). */
  location: string;
  /** Embedded only: lets device:add find this server (see embedded-lock.ts); returns the admin secret. */
  advertise?: (url: string) => string;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
export const DEFAULT_DATA_DIR = '.data/server';

// Any constant works as long as every server process uses the same one: two processes starting
// at once on one empty database must not both try to create the tables.
const MIGRATION_LOCK_KEY = 4_810_001;

/** A start-up parameter of every session (see openPostgres): instants are read and written in UTC. */
const SESSION_TIME_ZONE = 'TimeZone=UTC';

export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir?: string;
  /** Most connections to PostgreSQL at once (default: defaultPoolSize()); the embedded database has one. */
  poolSize?: number;
}): Promise<OpenDatabase> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? defaultPoolSize());
  return openPglite(path.resolve(opts.dataDir ?? DEFAULT_DATA_DIR));
}

/**
 * Connections a server process holds at most, unless DATABASE_POOL_SIZE says otherwise: twice the
 * cores (at least 4), the usual rule for a database whose work is CPU. More transactions at once
 * than the cores can run only contend: on 2 cores, 50 devices pushing at once cost PostgreSQL
 * ~130 µs of CPU per row through a pool of 10 and ~90 µs through a pool of 4, and the pushes went
 * through faster (docs/benchmarks.md). A request beyond the pool waits for a connection. The
 * bench's raw baseline uses as many.
 */
export const defaultPoolSize = (): number => Math.max(4, 2 * availableParallelism());

async function openPostgres(url: string, poolSize: number): Promise<OpenDatabase> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  // Instants are read back in the session's time zone, which defaults to the database's. Outside
  // UTC, PostgreSQL spells old instants with local-mean-time offsets carrying seconds (+00:19:32)
  // that JavaScript cannot parse: one such row made every push and pull meeting it a 500. The time
  // zone is a start-up parameter of every connection, so no query ever runs before it is set.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: `-c ${SESSION_TIME_ZONE}` });
  // An idle client dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle({ client, schema }), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
  const db = drizzle({ client: pool, schema }) as unknown as ServerDatabase;
  return { db, kind: 'postgres', location: redactUrl(url), close: () => pool.end() };
}

async function openPglite(dataDir: string): Promise<OpenDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  mkdirSync(dataDir, { recursive: true });
  const claim = claimEmbeddedFolder(dataDir);
  try {
    // Same session time zone as on PostgreSQL (see openPostgres), set when the embedded server starts.
    const client = new PGlite(dataDir, { startParams: [...PGlite.defaultStartParams, '-c', SESSION_TIME_ZONE] });
    await client.waitReady;
    const db = drizzle({ client, schema });
    await migrate(db, { migrationsFolder });
    return {
      db: db as unknown as ServerDatabase,
      kind: 'pglite',
      location: dataDir,
      advertise: claim.advertise,
      close: async () => {
        await client.close();
        claim.release();
      },
    };
  } catch (error) {
    claim.release();
    throw error;
  }
}

/** A connection string with its password masked (safe to log). */
export const redactUrl = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

/** Rows of a raw `execute` on either driver (both return `{ rows }`). */
export const rowsOf = <Row>(result: unknown): Row[] => (result as { rows: Row[] }).rows;

/**
 * The database's clock (clock_timestamp: the moment of the call, not the transaction's start), so
 * instants the server stamps follow one clock across server processes, whatever their own say.
 */
export async function databaseNow(db: Queryable): Promise<Date> {
  const [clock] = rowsOf<{ ms: number | string }>(
    await db.execute(sql`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`),
  );
  return new Date(Number(clock!.ms));
}
