// Opens the Store Manager's local SQLite file: WAL mode (readers never block the sync engine's
// writes), foreign keys off on purpose (rows arrive from other devices in any order; parents are
// applied first by the engine, not enforced by SQLite), migrations applied on open.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rebuildDeferredIndexes } from './deferred-indexes.js';
import * as schema from './schema.js';
import { fileTokenVault, memoryTokenVault, tokenFileFor, type TokenVault } from './token-vault.js';

export type LocalDb = BetterSQLite3Database<typeof schema>;

export interface LocalStore {
  db: LocalDb;
  /** The raw connection, for the few statements drizzle cannot express (pragmas, bulk upserts). */
  sqlite: Database.Database;
  file: string;
  /** Where this device's bearer token is kept: never in the SQLite file itself (token-vault.ts). */
  tokenVault: TokenVault;
  close(): void;
}

export interface LocalStoreOptions {
  /** The token's keeper for this store file; default a mode-600 file beside it (`<name>.token`). */
  tokenVault?: (storeFile: string) => TokenVault;
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export function openLocalStore(file: string, options: LocalStoreOptions = {}): LocalStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable in WAL mode across application crashes (invariant 3); only an OS crash
  // can lose the last transactions, never tear one.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  const tokenVault =
    file === ':memory:'
      ? memoryTokenVault()
      : options.tokenVault
        ? options.tokenVault(file)
        : fileTokenVault(tokenFileFor(file));
  try {
    // Indexes an interrupted initial sync left to build (deferred-indexes.ts): back before the
    // migrations, which may expect them.
    rebuildDeferredIndexes(sqlite);
    migrate(db, { migrationsFolder });
    refuseNewerDatabase(sqlite);
    moveTokenToVault(sqlite, tokenVault);
    if (options.tokenVault && file !== ':memory:') adoptPlainTokenFile(fileTokenVault(tokenFileFor(file)), tokenVault);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  // Planner statistics (SQLite's advice for long-lived connections): with them, a filtered
  // submissions list picks the most selective index (store vs status) over 100k rows.
  // analysis_limit keeps each ANALYZE to a sample, so open and close stay quick on big tables.
  sqlite.pragma('analysis_limit = 1000');
  sqlite.pragma('optimize=0x10002');
  return {
    db,
    sqlite,
    file,
    tokenVault,
    close: () => {
      if (!sqlite.open) return;
      sqlite.pragma('optimize');
      sqlite.close();
    },
  };
}

/**
 * Migrations are only ever added: a database that holds a migration this build does not know was
 * written by a newer version of the app, and running on it could corrupt data it cannot read.
 */
function refuseNewerDatabase(sqlite: Database.Database): void {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ when: number }>;
  };
  const newestKnown = Math.max(...journal.entries.map((entry) => entry.when));
  const { newest } = sqlite.prepare('SELECT max(created_at) AS newest FROM __drizzle_migrations').get() as {
    newest: number | null;
  };
  if (newest !== null && newest > newestKnown) {
    throw new Error(
      `This local database was last opened by a newer version of Insight (its schema is from ${new Date(newest).toISOString()}); update the app to open it`,
    );
  }
}

/**
 * Earlier versions kept the token in sync_metadata. Move it to the vault, then make sure no copy
 * of its bytes is left in the file: secure_delete zeroes the deleted cell, VACUUM rewrites every
 * page (old free pages included), and the TRUNCATE checkpoint empties the -wal file.
 */
function moveTokenToVault(sqlite: Database.Database, vault: TokenVault): void {
  const row = sqlite.prepare("SELECT value FROM sync_metadata WHERE key = 'token'").get() as
    { value: string } | undefined;
  if (!row) return;
  if (!vault.read()) vault.write(row.value);
  sqlite.pragma('secure_delete = ON');
  sqlite.prepare("DELETE FROM sync_metadata WHERE key = 'token'").run();
  sqlite.exec('VACUUM');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
}

/** A store first used by the web host or CLI, then opened by the app: its plain token file moves into the app's vault. */
function adoptPlainTokenFile(plain: TokenVault, vault: TokenVault): void {
  const token = plain.read();
  if (!token) return;
  if (!vault.read()) vault.write(token);
  plain.clear();
}
