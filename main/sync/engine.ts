// The sync engine (seed: Sync Service, Sync Triggers, Handle failures). Plain Node: the Electron
// shell, the web host, the headless device CLI and the tests all drive this same class.
// - One sync at a time; triggers that arrive during a run coalesce into exactly one more run.
// - A run pushes the queue (oldest first) and then pulls, so the push's conflict check uses the
//   position of the previous pull and the pull then brings everything, our winners included.
// - Failures back off exponentially with jitter; after `maxAttempts` failed attempts the state is
//   `alert` (the queue is kept); the next trigger starts over. While the server is unreachable, a
//   probe of /sync/status notices its return and syncs (seed: on network reconnect).
import { EventEmitter } from 'node:events';
import { tablesReadableBy, type TableName } from '../../shared/tables.js';
import type { SyncStatus } from '../../shared/ipc.js';
import type { LocalStore } from '../db/client.js';
import { onLocalWrite } from '../db/outbox.js';
import { checkConnection, readConnection, readSyncIntervalMinutes, saveConnection, type ConnectionCheck } from './config.js';
import { listConflicts, openConflictCount, resolveConflict, type ConflictAction } from './conflicts.js';
import { SyncClient, SyncHttpError } from './http.js';
import { createSyncLogger, type SyncLogger } from './log.js';
import { metadataKeys, readMetadata, writeMetadata } from './metadata.js';
import { discardChange, listPendingChanges, needsAttentionCount, pendingCount } from './outbox.js';
import { pullChanges, type PullResult } from './pull.js';
import { pushChanges, type PushResult } from './push.js';

export type RunKind = 'full' | 'pull' | 'push';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SyncEngineOptions {
  store: LocalStore;
  /** pino log file in the app's data folder; none: no log. */
  logFile?: string | null;
  logger?: SyncLogger;
  fetch?: typeof fetch;
  now?: () => Date;
  timers?: Timers;
  random?: () => number;
  /** Failed attempts before the alert (seed: "Alert user after 5 failures"). */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** How often an unreachable server is probed. */
  probeIntervalMs?: number;
  /** A burst of local writes becomes one push, this long after the last one. */
  pushDebounceMs?: number;
  pageSize?: number;
  batchSize?: number;
  requestTimeoutMs?: number;
}

/** What the latest run did (the device CLI prints it). */
export interface RunSummary {
  kind: RunKind;
  reason: string;
  ok: boolean;
  error: string | null;
  pushed: PushResult | null;
  pulled: PullResult | null;
}

export interface SyncEngineEvents {
  status: [SyncStatus];
  'data-changed': [TableName[]];
}

interface Deferred {
  resolve(): void;
}

const mergeKinds = (a: RunKind | null, b: RunKind): RunKind => (a === null || a === b ? b : 'full');

export class SyncEngine extends EventEmitter<SyncEngineEvents> {
  readonly store: LocalStore;
  private readonly log: SyncLogger;
  private readonly now: () => Date;
  private readonly timers: Timers;
  private readonly random: () => number;
  readonly maxAttempts: number;

  private state: SyncStatus['state'] = 'idle';
  private online = true;
  private attempt = 0;
  private error: string | null = null;
  private progress: SyncStatus['progress'] = null;
  private nextRetryAt: Date | null = null;

  lastRun: RunSummary | null = null;
  private started = false;
  private running = false;
  private queuedKind: RunKind | null = null;
  /** A queued trigger was explicit (Sync Now, reconnect): it runs right after, never waits out a backoff. */
  private queuedImmediate = false;
  private queuedWaiters: Deferred[] = [];
  private retryKind: RunKind | null = null;
  private retryTimer: unknown = null;
  private probeTimer: unknown = null;
  private intervalTimer: unknown = null;
  private debounceTimer: unknown = null;
  private unsubscribeWrites: (() => void) | null = null;
  /** Aborted by stop(): the run in progress ends after the page or batch on the wire. */
  private runAbort = new AbortController();

  constructor(private readonly options: SyncEngineOptions) {
    super();
    this.store = options.store;
    this.log = options.logger ?? createSyncLogger(options.logFile ?? null);
    this.now = options.now ?? (() => new Date());
    this.timers = options.timers ?? { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? 5;
    if (!readConnection(this.store)) this.state = 'not_configured';
  }

  /** Seed: "On app startup - Full sync", then a background pull every interval, pushes after local writes. */
  start(): Promise<void> {
    if (this.started) return Promise.resolve();
    this.started = true;
    // A start-up begins a new series of attempts: failures before a stop() do not count toward the alert.
    this.attempt = 0;
    this.unsubscribeWrites = onLocalWrite(this.store, () => this.notifyLocalWrite());
    this.scheduleInterval();
    return this.trigger('full', 'start-up');
  }

  /** Stops every timer; a run in progress finishes its current request and stops after it. */
  stop(): void {
    this.started = false;
    this.runAbort.abort();
    this.unsubscribeWrites?.();
    this.unsubscribeWrites = null;
    for (const timer of [this.probeTimer, this.intervalTimer, this.debounceTimer]) {
      if (timer !== null) this.timers.clearTimeout(timer);
    }
    this.probeTimer = this.intervalTimer = this.debounceTimer = null;
    this.cancelRetry(); // also the announced next_retry_at: no retry comes while stopped
    this.queuedKind = null;
    this.queuedImmediate = false;
    this.queuedWaiters.splice(0).forEach((waiter) => waiter.resolve());
  }

  /** "Sync Now" and other explicit triggers: runs at once (or right after the current run). */
  syncNow(reason = 'sync-now', kind: RunKind = 'full'): Promise<void> {
    return this.trigger(kind, reason, { immediate: true });
  }

  /** A local edit committed: push it soon (debounced, so a burst of edits is one push). */
  notifyLocalWrite(): void {
    this.emitStatus();
    if (!this.started) return;
    if (this.debounceTimer !== null) this.timers.clearTimeout(this.debounceTimer);
    this.debounceTimer = this.timers.setTimeout(() => {
      this.debounceTimer = null;
      void this.trigger('push', 'local-write');
    }, this.options.pushDebounceMs ?? 1000);
  }

  status(): SyncStatus {
    const lastSyncAt = readMetadata(this.store, metadataKeys.lastSyncAt);
    return {
      // Configured since this engine was made (e.g. by the CLI or another window): idle until a run.
      state: !readConnection(this.store) ? 'not_configured' : this.state === 'not_configured' ? 'idle' : this.state,
      online: this.online,
      last_sync_at: lastSyncAt,
      pending_count: pendingCount(this.store),
      needs_attention_count: needsAttentionCount(this.store),
      progress: this.progress,
      error: this.error,
      attempt: this.attempt,
      max_attempts: this.maxAttempts,
      next_retry_at: this.nextRetryAt?.toISOString() ?? null,
      open_conflicts: openConflictCount(this.store),
    };
  }

  /** First-run setup: checks the connection, saves it only when it works, then syncs. */
  async connect(input: { server_url: string; device_id: string; token: string }): Promise<ConnectionCheck> {
    const check = await checkConnection(input, { fetch: this.options.fetch });
    if (!check.ok) return check;
    saveConnection(this.store, { ...input, role: check.role });
    this.log.info({ device_id: input.device_id, server_url: input.server_url, role: check.role }, 'connection saved');
    this.state = 'idle';
    this.attempt = 0;
    void this.syncNow('connected');
    return check;
  }

  /** Re-reads the interval (after the user changed it). */
  scheduleInterval(): void {
    if (this.intervalTimer !== null) this.timers.clearTimeout(this.intervalTimer);
    this.intervalTimer = null;
    if (!this.started) return;
    const ms = readSyncIntervalMinutes(this.store) * 60_000;
    this.intervalTimer = this.timers.setTimeout(() => {
      this.intervalTimer = null;
      this.scheduleInterval();
      void this.trigger('pull', 'interval');
    }, ms);
  }

  listConflicts(options: { include_closed?: boolean } = {}) {
    return listConflicts(this.store, options);
  }

  /** Seed: "After conflict resolution" → sync. */
  async resolveConflict(id: number, action: ConflictAction): Promise<void> {
    const { tables } = resolveConflict(this.store, id, action, this.now);
    this.log.info({ conflict_id: id, action }, 'conflict resolved');
    if (tables.length > 0) this.emitSafely('data-changed', tables);
    this.emitStatus();
    if (action === 'apply_other') void this.syncNow('conflict-resolved');
  }

  listPendingChanges(options: { needsAttentionOnly?: boolean } = {}) {
    return listPendingChanges(this.store, options);
  }

  /** Drops a refused change; the next pull brings the server's row back. */
  discardChange(id: number): void {
    const { table, record_id } = discardChange(this.store, id);
    this.log.info({ table, record_id, change_id: id }, 'refused change discarded');
    this.emitSafely('data-changed', [table]);
    this.emitStatus();
    void this.syncNow('change-discarded', 'pull');
  }

  // ---- running ----

  private trigger(kind: RunKind, reason: string, options: { immediate?: boolean } = {}): Promise<void> {
    if (!readConnection(this.store)) {
      this.setState('not_configured');
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      if (this.running) {
        // Coalesce: however many triggers arrive during a run, exactly one more run follows.
        this.queuedKind = mergeKinds(this.queuedKind, kind);
        this.queuedImmediate ||= options.immediate === true;
        this.queuedWaiters.push({ resolve });
        return;
      }
      if (this.retryTimer !== null && !options.immediate && reason !== 'retry') {
        // A retry is already scheduled: background triggers wait for it instead of adding attempts.
        this.retryKind = mergeKinds(this.retryKind, kind);
        this.queuedWaiters.push({ resolve });
        return;
      }
      this.cancelRetry();
      void this.drive(kind, reason, [{ resolve }]);
    });
  }

  private async drive(kind: RunKind, reason: string, waiters: Deferred[]): Promise<void> {
    this.running = true;
    let next: RunKind | null = kind;
    let why = reason;
    let current = waiters;
    try {
      while (next !== null) {
        // Each run its own: a stop() ends the run in progress, not one triggered after it.
        this.runAbort = new AbortController();
        try {
          await this.runOnce(next, why, this.runAbort.signal);
        } catch (error) {
          // runOnce handles sync failures itself; this is the store gone under it (closed at quit).
          // Nothing may escape: drive() runs from timers, where a rejection takes the process down.
          this.log.error({ err: error }, 'sync run ended unexpectedly');
        }
        current.forEach((waiter) => waiter.resolve());
        next = this.queuedKind;
        const immediate = this.queuedImmediate;
        current = this.queuedWaiters.splice(0);
        this.queuedKind = null;
        this.queuedImmediate = false;
        why = 'coalesced';
        if (next === null) {
          current.forEach((waiter) => waiter.resolve());
        } else if (this.retryTimer !== null && immediate) {
          // "Sync Now" during a run that failed: it runs right after, as asked; the retry is folded in.
          next = mergeKinds(this.retryKind, next);
          this.cancelRetry();
        } else if (this.retryTimer !== null) {
          // A failed run scheduled its own retry; triggers queued meanwhile ride on that retry.
          this.retryKind = mergeKinds(this.retryKind, next);
          this.queuedWaiters.push(...current);
          next = null;
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async runOnce(kind: RunKind, reason: string, signal: AbortSignal): Promise<void> {
    const config = readConnection(this.store);
    if (!config) {
      this.setState('not_configured');
      return;
    }
    if (this.state === 'alert') this.attempt = 0; // the next trigger after the alert starts over
    const client = new SyncClient({
      serverUrl: config.server_url,
      deviceId: config.device_id,
      token: config.token,
      fetch: this.options.fetch,
      timeoutMs: this.options.requestTimeoutMs,
    });
    const tables = tablesReadableBy(config.role);
    const log = this.log.child({ device_id: config.device_id, run: kind });
    const startedAt = Date.now();
    const summary: RunSummary = { kind, reason, ok: false, error: null, pushed: null, pulled: null };
    this.lastRun = summary;
    log.info({ reason, pending: pendingCount(this.store) }, 'sync started');
    try {
      if (pendingCount(this.store) > 0) {
        this.setState('pushing', { phase: 'push', done: 0, total: pendingCount(this.store), table: null });
        const pushed = await pushChanges({
          store: this.store,
          client,
          tables,
          batchSize: this.options.batchSize,
          now: this.now,
          signal,
          onProgress: (p) => this.setState('pushing', { phase: 'push', ...p }),
          onRefused: (queued, why) =>
            log.warn({ table: queued.table, record_id: queued.row.id, change_id: queued.row.change_id, reason: why }, 'change refused by the server; set aside'),
          onConflict: (c) =>
            log.warn({ table: c.table, record_id: c.record_id, rule: c.rule, resolution: c.resolution, change_id: c.change_id }, 'conflict'),
        });
        summary.pushed = pushed;
        log.info({ pushed: pushed.pushed, conflicts: pushed.conflicts, refused: pushed.refused, duplicates: pushed.duplicates }, 'pushed');
        if (pushed.changedTables.length > 0) this.emitSafely('data-changed', pushed.changedTables);
      }
      if (kind !== 'push') {
        this.setState('pulling', { phase: 'pull', done: 0, total: 0, table: null });
        log.debug({ tables }, 'pulling tables');
        const pulled = await pullChanges({
          store: this.store,
          client,
          tables,
          pageSize: this.options.pageSize,
          signal,
          onProgress: (p) => this.setState('pulling', { phase: 'pull', ...p }),
          onPage: (page) => {
            if (page.changedTables.length > 0) this.emitSafely('data-changed', page.changedTables);
          },
        });
        summary.pulled = pulled;
        log.info({ tables: pulled.perTable, received: pulled.received, applied: pulled.applied, kept_local: pulled.keptLocal, pages: pulled.pages }, `received ${pulled.received} changes`);
      }
      writeMetadata(this.store, metadataKeys.lastSyncAt, this.now().toISOString());
      this.attempt = 0;
      this.error = null;
      this.online = true;
      this.stopProbe();
      summary.ok = true;
      this.setState('idle', null);
      log.info({ ms: Date.now() - startedAt }, 'sync finished');
    } catch (error) {
      summary.error = error instanceof Error ? error.message : String(error);
      if (signal.aborted) {
        // stop(): not a failure (no attempt counted, no retry); what was applied stays applied.
        summary.error = 'stopped';
        log.info('sync stopped');
        this.setState(this.state === 'alert' ? 'alert' : 'idle', null);
        return;
      }
      this.fail(error, kind, log);
    }
  }

  private fail(error: unknown, kind: RunKind, log: SyncLogger): void {
    const unreachable = error instanceof SyncHttpError && error.kind === 'network';
    this.online = !unreachable;
    this.attempt += 1;
    this.error = error instanceof Error ? error.message : String(error);
    log.error({ err: error, attempt: this.attempt, max_attempts: this.maxAttempts }, 'sync failed');
    if (!this.started) {
      // One-shot use (the device CLI): report the failure, schedule nothing.
      this.nextRetryAt = null;
      this.setState(unreachable ? 'offline' : 'error', null);
      return;
    }
    if (this.attempt >= this.maxAttempts) {
      this.nextRetryAt = null;
      this.setState('alert', null);
    } else {
      const delay = this.backoff(this.attempt);
      this.nextRetryAt = new Date(this.now().getTime() + delay);
      this.retryKind = mergeKinds(this.retryKind, kind);
      this.retryTimer = this.timers.setTimeout(() => {
        this.retryTimer = null;
        const retryKind = this.retryKind ?? 'full';
        this.retryKind = null;
        const waiters = this.queuedWaiters.splice(0);
        void this.trigger(retryKind, 'retry').then(() => waiters.forEach((w) => w.resolve()));
      }, delay);
      this.setState(unreachable ? 'offline' : 'error', null);
    }
    if (unreachable) this.startProbe();
  }

  /** Exponential with "equal jitter": half fixed, half random, capped. */
  private backoff(attempt: number): number {
    const base = this.options.backoffBaseMs ?? 2000;
    const cap = this.options.backoffCapMs ?? 60_000;
    const exp = Math.min(cap, base * 2 ** (attempt - 1));
    return Math.round(exp / 2 + (this.random() * exp) / 2);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryKind = null;
    this.nextRetryAt = null;
  }

  private startProbe(): void {
    if (this.probeTimer !== null || !this.started) return;
    this.probeTimer = this.timers.setTimeout(() => void this.probe(), this.options.probeIntervalMs ?? 15_000);
  }

  private stopProbe(): void {
    if (this.probeTimer !== null) this.timers.clearTimeout(this.probeTimer);
    this.probeTimer = null;
  }

  private async probe(): Promise<void> {
    this.probeTimer = null;
    const config = readConnection(this.store);
    if (!config || !this.started || this.online) return;
    try {
      await new SyncClient({ serverUrl: config.server_url, deviceId: config.device_id, token: config.token, fetch: this.options.fetch, timeoutMs: 5000 }).status();
    } catch {
      this.startProbe();
      return;
    }
    // Stopped while the probe was on the wire (the app may have closed the store by now).
    if (!this.started) return;
    this.log.info({ device_id: config.device_id }, 'server reachable again');
    this.online = true;
    if (this.state === 'alert') this.attempt = 0;
    void this.syncNow('reconnect');
  }

  private setState(state: SyncStatus['state'], progress?: SyncStatus['progress']): void {
    this.state = state;
    if (progress !== undefined) this.progress = progress;
    this.emitStatus();
  }

  private emitStatus(): void {
    if (this.listenerCount('status') === 0) return;
    let status: SyncStatus;
    try {
      status = this.status();
    } catch (error) {
      // The store is closed (the app is quitting): nothing to tell anyone.
      this.log.warn({ err: error }, 'sync status unavailable');
      return;
    }
    this.emitSafely('status', status);
  }

  /**
   * A listener that throws (a host whose window is gone) must not fail the run it was told about,
   * nor escape from a timer as an uncaught exception that takes the process down.
   */
  private emitSafely<E extends keyof SyncEngineEvents>(event: E, ...args: SyncEngineEvents[E]): void {
    try {
      (this.emit as (event: E, ...args: SyncEngineEvents[E]) => boolean)(event, ...args);
    } catch (error) {
      this.log.warn({ err: error, event }, 'sync event listener failed');
    }
  }
}
