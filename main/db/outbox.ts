// THE local write path (invariant 3: a local edit and its pending_changes row commit in one SQLite
// transaction; a crash at any instant leaves both or neither). Every write of the repositories,
// and any local edit the sync engine makes (a conflict override), goes through here:
//   1. the row is parsed with the registry's zod schema, so the outbox only ever holds valid wire rows;
//   2. the synced row is upserted (server_version untouched: we do not hold a newer server version);
//   3. a pending_changes row is queued with the whole wire row as JSON and a fresh change_id,
//      which the push sends so a retry is applied at most once (invariant 2).
// Listeners registered with onLocalWrite hear about a write only after it committed (the engine's
// "push right after a local edit" trigger).
import type Database from 'better-sqlite3';
import { newId } from '../../shared/ids.js';
import { EventEmitter } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import { type z } from 'zod';
import { rowSchemas, type RowOf, type TableName } from '../../shared/tables.js';
import type { LocalStore } from './client.js';
import { upsertSyncedRow } from './rows.js';
import type { pending_changes } from './schema.js';

export type ChangeOperation = (typeof pending_changes)['$inferSelect']['operation'];
/** What a caller may hand in for a table: the wire row before defaults are filled in. */
export type RowInput<T extends TableName> = z.input<(typeof rowSchemas)[T]>;

/** A row that does not fit its table's wire schema; nothing was written. */
export class InvalidRowError extends Error {
  constructor(
    readonly table: TableName,
    readonly issues: z.core.$ZodIssue[],
  ) {
    const detail = issues.map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.message}`).join('; ');
    super(`Invalid ${table} row: ${detail}`);
    this.name = 'InvalidRowError';
  }
}

/** Parses a row with the registry's schema, throwing InvalidRowError with every problem named. */
export function parseRow<T extends TableName>(table: T, row: unknown): RowOf<T> {
  const result = rowSchemas[table].safeParse(row);
  if (!result.success) throw new InvalidRowError(table, result.error.issues);
  return result.data as RowOf<T>;
}

const queueStatements = new WeakMap<Database.Database, Database.Statement>();

function queueStatement(sqlite: Database.Database): Database.Statement {
  let statement = queueStatements.get(sqlite);
  if (!statement) {
    statement = sqlite.prepare(
      'INSERT INTO pending_changes (table_name, record_id, operation, data, created_at, change_id) ' +
        'VALUES (?, ?, ?, ?, ?, ?)',
    );
    queueStatements.set(sqlite, statement);
  }
  return statement;
}

/** One local transaction: every `write` in it commits together with its queued change, or none does. */
export interface LocalWrite {
  write<T extends TableName>(table: T, row: RowInput<T>, operation: ChangeOperation): RowOf<T>;
  /** Tables written so far in this transaction. */
  readonly tables: ReadonlySet<TableName>;
}

/**
 * Writes a row and queues its change on an open connection. Call it only inside a transaction
 * (localTransaction, or the engine's own `sqlite.transaction`/drizzle transaction): on its own
 * the two statements would be two transactions.
 */
export function writeRowAndQueueChange<T extends TableName>(
  sqlite: Database.Database,
  table: T,
  input: RowInput<T>,
  operation: ChangeOperation,
): RowOf<T> {
  if (!sqlite.inTransaction) throw new Error('writeRowAndQueueChange must run inside a transaction (invariant 3)');
  return writeParsedRow(sqlite, table, parseRow(table, input), operation);
}

/** writeRowAndQueueChange for a row parseRow just returned (parsing is idempotent: not twice). */
function writeParsedRow<T extends TableName>(
  sqlite: Database.Database,
  table: T,
  row: RowOf<T>,
  operation: ChangeOperation,
): RowOf<T> {
  upsertSyncedRow(sqlite, table, row);
  queueStatement(sqlite).run(table, row.id, operation, JSON.stringify(row), Date.now(), newId());
  return row;
}

/** The LocalWrite of localTransaction: a class, so a local edit builds no closures. */
class LocalWriter implements LocalWrite {
  constructor(
    private readonly sqlite: Database.Database,
    readonly tables: Set<TableName>,
  ) {}

  write<T extends TableName>(table: T, row: RowInput<T>, operation: ChangeOperation): RowOf<T> {
    return this.writeParsed(table, parseRow(table, row), operation);
  }

  /** For a row this module's parseRow returned, nobody else having held it since. */
  writeParsed<T extends TableName>(table: T, row: RowOf<T>, operation: ChangeOperation): RowOf<T> {
    // A LocalWrite kept past its transaction must not write outside one (invariant 3).
    if (!this.sqlite.inTransaction) throw new Error('A local write must run inside its localTransaction (invariant 3)');
    writeParsedRow(this.sqlite, table, row, operation);
    this.tables.add(table);
    return row;
  }
}

const writeEvents = new WeakMap<Database.Database, EventEmitter>();
/** Tables written by the outermost localTransaction open on a connection (nested ones add to it). */
const openWrites = new WeakMap<Database.Database, Set<TableName>>();

type TransactionRunner = (work: (local: LocalWrite) => unknown, local: LocalWrite) => unknown;
const transactionRunners = new WeakMap<Database.Database, TransactionRunner>();

/**
 * better-sqlite3's transaction function for a connection, built once: `sqlite.transaction(fn)`
 * builds four wrappers each call, which cost more than a local edit's own statements.
 */
function transactionOn(sqlite: Database.Database): TransactionRunner {
  let runner = transactionRunners.get(sqlite);
  if (!runner) {
    runner = sqlite.transaction((work: (local: LocalWrite) => unknown, local: LocalWrite) => {
      const value = work(local);
      if (value instanceof Promise) throw new Error('localTransaction work must be synchronous');
      return value;
    });
    transactionRunners.set(sqlite, runner);
  }
  return runner;
}

/**
 * Runs `work` in one SQLite transaction (a savepoint when one is already open, so repositories
 * compose). Throwing anywhere rolls back every row and every queued change of this transaction.
 * `work` must be synchronous: no transaction is ever held across an await or an HTTP call.
 */
export function localTransaction<R>(store: LocalStore, work: (local: LocalWrite) => R): R {
  const { sqlite } = store;
  const outermost = !sqlite.inTransaction;
  const tables = (!outermost && openWrites.get(sqlite)) || new Set<TableName>();
  const local = new LocalWriter(sqlite, tables);
  if (outermost) openWrites.set(sqlite, tables);
  let result: R;
  try {
    result = transactionOn(sqlite)(work, local) as R;
  } finally {
    if (outermost) openWrites.delete(sqlite);
  }
  // Listeners hear only about committed writes: the outermost transaction has committed here.
  if (outermost && tables.size > 0) {
    try {
      writeEvents.get(sqlite)?.emit('write', [...tables]);
    } catch (error) {
      // The write is committed; a failing listener must not make it look failed to the caller.
      process.emitWarning(`onLocalWrite listener failed: ${String(error)}`);
    }
  }
  return result;
}

/** Writes one row and its pending change atomically; returns the validated wire row. */
export function writeLocal<T extends TableName>(
  store: LocalStore,
  table: T,
  row: RowInput<T>,
  operation: ChangeOperation,
): RowOf<T> {
  return localTransaction(store, (local) => local.write(table, row, operation));
}

/**
 * Hears every committed local write (tables written). The sync engine's "push right after a local
 * edit" trigger subscribes here. Returns the unsubscribe function.
 */
export function onLocalWrite(store: LocalStore, listener: (tables: TableName[]) => void): () => void {
  let emitter = writeEvents.get(store.sqlite);
  if (!emitter) writeEvents.set(store.sqlite, (emitter = new EventEmitter()));
  emitter.on('write', listener);
  return () => emitter.off('write', listener);
}

/** The same row content, ignoring updated_at (which every save sets anew). */
const sameContent = (a: Record<string, unknown>, b: Record<string, unknown>): boolean =>
  Object.keys({ ...a, ...b }).every((key) => key === 'updated_at' || isDeepStrictEqual(a[key] ?? null, b[key] ?? null));

/**
 * Writes `next` only when it differs from `current` (the row now held, or undefined for a new
 * row: INSERT), so saving an editor draft queues only what the user actually changed.
 * Returns the row now held.
 */
export function writeIfChanged<T extends TableName>(
  local: LocalWrite,
  table: T,
  current: RowOf<T> | undefined,
  next: RowInput<T>,
): RowOf<T> {
  if (!current) return local.write(table, next, 'INSERT');
  const parsed = parseRow(table, next);
  if (sameContent(current, parsed)) return current;
  // Parsed once: the row the comparison saw is the row written.
  if (local instanceof LocalWriter) return local.writeParsed(table, parsed, 'UPDATE');
  return local.write(table, parsed as RowInput<T>, 'UPDATE');
}

/** Deletes a row the way sync needs it: a tombstone (deleted_at = updated_at = now), queued as DELETE. */
export function writeTombstone<T extends TableName>(
  local: LocalWrite,
  table: T,
  current: RowOf<T>,
  at = nowIso(),
): RowOf<T> {
  return local.write(table, { ...current, updated_at: at, deleted_at: at } as RowInput<T>, 'DELETE');
}

/** Now as the ISO string every synced row's updated_at / deleted_at uses. */
export const nowIso = (): string => new Date().toISOString();
