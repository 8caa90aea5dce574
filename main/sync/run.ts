// One sync run (seed: Sync Service): push the queue (oldest first), then pull. The push goes
// first so its conflict check uses the position of the previous pull, and the pull then brings
// everything, our winners included. The run reports progress and changed tables as it goes and
// says how it ended; when to run, and what a failure leads to, is the scheduler's business.
import { tablesReadableBy, type TableName } from '../../shared/tables.js';
import type { SyncStatus } from '../../shared/ipc.js';
import type { LocalStore } from '../db/client.js';
import type { ConnectionConfig } from './config.js';
import { SyncClient, SyncHttpError } from './http.js';
import type { SyncLogger } from './log.js';
import { metadataKeys, writeMetadata } from './metadata.js';
import { pendingCount } from './outbox.js';
import { pullChanges, type PullResult } from './pull.js';
import { pushChanges, type PushResult } from './push.js';
import type { RunKind } from './scheduler.js';

/** What the latest run did (the device CLI prints it). */
export interface RunSummary {
  kind: RunKind;
  reason: string;
  ok: boolean;
  error: string | null;
  pushed: PushResult | null;
  pulled: PullResult | null;
}

export type RunOutcome =
  | { outcome: 'ok' }
  | { outcome: 'stopped' }
  /** unreachable: the server could not be reached at all (offline), as opposed to an error answer. */
  | {
      outcome: 'failed';
      error: string;
      unreachable: boolean;
      /** The server's Retry-After (429, 408, 5xx): the scheduler waits at least this long. */
      retryAfterMs: number | null;
    };

export interface RunContext {
  store: LocalStore;
  config: ConnectionConfig;
  log: SyncLogger;
  now: () => Date;
  fetch?: typeof fetch;
  requestTimeoutMs?: number;
  pageSize?: number;
  batchSize?: number;
  /** Aborted by stop(): the run ends after the page or batch on the wire. */
  signal: AbortSignal;
  onPhase(state: 'pushing' | 'pulling', progress: NonNullable<SyncStatus['progress']>): void;
  onDataChanged(tables: TableName[]): void;
}

export async function runSync(context: RunContext, kind: RunKind, summary: RunSummary): Promise<RunOutcome> {
  const { store, config, signal } = context;
  const client = new SyncClient({
    serverUrl: config.server_url,
    deviceId: config.device_id,
    token: config.token,
    fetch: context.fetch,
    timeoutMs: context.requestTimeoutMs,
  });
  const tables = tablesReadableBy(config.role);
  const log = context.log.child({ device_id: config.device_id, run: kind });
  const startedAt = Date.now();
  // Counted once for the log, the decision and the progress (a count walks the queue's index).
  const pending = pendingCount(store);
  log.info({ reason: summary.reason, pending }, 'sync started');
  try {
    if (pending > 0) summary.pushed = await push(context, client, tables, log, pending);
    if (kind !== 'push') summary.pulled = await pull(context, client, tables, log);
    writeMetadata(store, metadataKeys.lastSyncAt, context.now().toISOString());
    summary.ok = true;
    log.info({ ms: Date.now() - startedAt }, 'sync finished');
    return { outcome: 'ok' };
  } catch (error) {
    if (signal.aborted) {
      // stop(): not a failure (no attempt counted, no retry); what was applied stays applied.
      summary.error = 'stopped';
      log.info('sync stopped');
      return { outcome: 'stopped' };
    }
    summary.error = error instanceof Error ? error.message : String(error);
    log.error({ err: error }, 'sync failed');
    const http = error instanceof SyncHttpError ? error : null;
    return {
      outcome: 'failed',
      error: summary.error,
      unreachable: http?.kind === 'network',
      retryAfterMs: http?.retryAfterMs ?? null,
    };
  }
}

async function push(
  context: RunContext,
  client: SyncClient,
  tables: TableName[],
  log: SyncLogger,
  pending: number,
): Promise<PushResult> {
  context.onPhase('pushing', { phase: 'push', done: 0, total: pending, table: null });
  const pushed = await pushChanges({
    store: context.store,
    client,
    tables,
    batchSize: context.batchSize,
    now: context.now,
    signal: context.signal,
    onProgress: (p) => context.onPhase('pushing', { phase: 'push', ...p }),
    onRefused: (queued, why) =>
      log.warn(
        { table: queued.table, record_id: queued.row.id, change_id: queued.row.change_id, reason: why },
        'change refused by the server; set aside',
      ),
    onConflict: (c) =>
      log.warn(
        { table: c.table, record_id: c.record_id, rule: c.rule, resolution: c.resolution, change_id: c.change_id },
        'conflict',
      ),
  });
  log.info(
    { pushed: pushed.pushed, conflicts: pushed.conflicts, refused: pushed.refused, duplicates: pushed.duplicates },
    'pushed',
  );
  if (pushed.changedTables.length > 0) context.onDataChanged(pushed.changedTables);
  return pushed;
}

async function pull(
  context: RunContext,
  client: SyncClient,
  tables: TableName[],
  log: SyncLogger,
): Promise<PullResult> {
  context.onPhase('pulling', { phase: 'pull', done: 0, total: 0, table: null });
  log.debug({ tables }, 'pulling tables');
  const pulled = await pullChanges({
    store: context.store,
    client,
    tables,
    pageSize: context.pageSize,
    signal: context.signal,
    onProgress: (p) => context.onPhase('pulling', { phase: 'pull', ...p }),
    // Each applied page tells the UI at once (a long initial sync fills the lists as it goes).
    onPage: (page) => {
      if (page.changedTables.length > 0) context.onDataChanged(page.changedTables);
    },
  });
  log.info(
    {
      tables: pulled.perTable,
      received: pulled.received,
      applied: pulled.applied,
      kept_local: pulled.keptLocal,
      pages: pulled.pages,
    },
    `received ${pulled.received} changes`,
  );
  return pulled;
}
