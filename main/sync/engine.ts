// The sync engine (seed: Sync Service, Sync Triggers, Handle failures). Plain Node: the Electron
// shell, the web host, the headless device CLI and the tests all drive this same class. It wires
// three parts together and reports the status:
// - scheduler.ts decides WHEN to run (coalescing, one run at a time, backoff with jitter, the
//   alert after `maxAttempts`, the reconnect probe) as a pure state machine; this class carries
//   out its effects (timers, runs, waking waiting callers);
// - run.ts is one run: push the queue, then pull;
// - live.ts holds the live socket while the engine runs: a poke from the server is one more pull
//   trigger for the scheduler, and the status says whether the device is `live` or `polling`.
import { EventEmitter } from 'node:events';
import type { SyncMode } from '../../shared/protocol/live.js';
import { tablesReadableBy, type TableName } from '../../shared/tables.js';
import type { SyncStatus } from '../../shared/ipc.js';
import type { LocalStore } from '../db/client.js';
import { onLocalWrite } from '../db/outbox.js';
import {
  checkConnection,
  readConnection,
  readSyncIntervalMinutes,
  saveConnection,
  type ConnectionCheck,
} from './config.js';
import { listConflicts, openConflictCount, resolveConflict, type ConflictAction } from './conflicts.js';
import { SyncClient } from './http.js';
import { helloCursorOf, LiveLink } from './live.js';
import { createSyncLogger, type SyncLogger } from './log.js';
import { metadataKeys, readMetadata } from './metadata.js';
import { listRecentMerges } from './merges.js';
import { discardChange, listPendingChanges, needsAttentionCount, pendingCount } from './outbox.js';
import { runSync, type RunOutcome, type RunSummary } from './run.js';
import {
  initialSchedulerState,
  nextState,
  type RunKind,
  type SchedulerConfig,
  type SchedulerEffect,
  type SchedulerEvent,
  type SchedulerState,
  type TimerName,
  type WaiterId,
} from './scheduler.js';

export type { RunKind } from './scheduler.js';
export type { RunSummary } from './run.js';

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
  /**
   * Hold the live socket while started (the app and the device CLI's loop do). Off by default so
   * a one-shot run, or a test counting requests, has no second channel to the server.
   */
  live?: boolean | { reconnectBaseMs?: number; reconnectCapMs?: number; idleTimeoutMs?: number };
}

export interface SyncEngineEvents {
  status: [SyncStatus];
  'data-changed': [TableName[]];
}

export class SyncEngine extends EventEmitter<SyncEngineEvents> {
  readonly store: LocalStore;
  private readonly log: SyncLogger;
  private readonly now: () => Date;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly config: SchedulerConfig;
  readonly maxAttempts: number;

  /** The latest finished run. */
  lastRun: RunSummary | null = null;
  private scheduler: SchedulerState = initialSchedulerState;
  /** What the run in progress is doing (pushing/pulling and its progress); null between runs. */
  private activity: { state: 'pushing' | 'pulling'; progress: SyncStatus['progress'] } | null = null;
  private readonly timerHandles = new Map<TimerName, unknown>();
  private readonly waiters = new Map<WaiterId, () => void>();
  private nextWaiter = 0;
  /** Aborted by stop(): the run in progress ends after the page or batch on the wire. */
  private runAbort = new AbortController();
  private running: Promise<void> | null = null;
  private unsubscribeWrites: (() => void) | null = null;
  private live: LiveLink | null = null;

  constructor(private readonly options: SyncEngineOptions) {
    super();
    this.store = options.store;
    this.log = options.logger ?? createSyncLogger(options.logFile ?? null);
    this.now = options.now ?? (() => new Date());
    this.timers = options.timers ?? {
      setTimeout: (cb, ms) => setTimeout(cb, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.config = {
      maxAttempts: this.maxAttempts,
      backoffBaseMs: options.backoffBaseMs ?? 2000,
      backoffCapMs: options.backoffCapMs ?? 60_000,
      probeIntervalMs: options.probeIntervalMs ?? 15_000,
      pushDebounceMs: options.pushDebounceMs ?? 1000,
    };
  }

  /** Seed: "On app startup - Full sync", then a background pull every interval, pushes after local writes. */
  start(): Promise<void> {
    if (this.scheduler.started) return Promise.resolve();
    // Not configured yet: the timers run all the same (first-run setup connects later), and the
    // run finds no connection and does nothing.
    this.unsubscribeWrites = onLocalWrite(this.store, () => this.notifyLocalWrite());
    const done = this.wait((waiter) => this.dispatch({ type: 'start', intervalMs: this.intervalMs(), waiter }));
    if (this.options.live) this.holdLiveLink();
    return done;
  }

  /**
   * Stops every timer and the live socket; a run in progress finishes its current request and
   * stops after it. Resolves once that run has settled.
   */
  stop(): Promise<void> {
    this.unsubscribeWrites?.();
    this.unsubscribeWrites = null;
    this.releaseLiveLink();
    this.dispatch({ type: 'stop' });
    return this.running ?? Promise.resolve();
  }

  /** "Sync Now" and other explicit triggers: runs at once (or right after the current run). */
  syncNow(reason = 'sync-now', kind: RunKind = 'full'): Promise<void> {
    return this.trigger(kind, reason, true);
  }

  /** A local edit committed: push it soon (debounced, so a burst of edits is one push). */
  notifyLocalWrite(): void {
    this.dispatch({ type: 'local-write' });
  }

  status(): SyncStatus {
    const { scheduler } = this;
    return {
      state: !readConnection(this.store) ? 'not_configured' : (this.activity?.state ?? scheduler.phase),
      online: scheduler.online,
      mode: this.mode(),
      last_sync_at: readMetadata(this.store, metadataKeys.lastSyncAt),
      pending_count: pendingCount(this.store),
      needs_attention_count: needsAttentionCount(this.store),
      progress: this.activity?.progress ?? null,
      error: scheduler.error,
      attempt: scheduler.attempt,
      max_attempts: this.maxAttempts,
      next_retry_at: scheduler.retry ? new Date(scheduler.retry.at).toISOString() : null,
      open_conflicts: openConflictCount(this.store),
    };
  }

  /** `live` while the live socket is up; otherwise changes arrive with the interval pull. */
  mode(): SyncMode {
    return this.live?.mode ?? 'polling';
  }

  /** First-run setup: checks the connection, saves it only when it works, then syncs. */
  async connect(input: { server_url: string; device_id: string; token: string }): Promise<ConnectionCheck> {
    const check = await checkConnection(input, { fetch: this.options.fetch });
    if (!check.ok) return check;
    saveConnection(this.store, { ...input, role: check.role });
    this.log.info({ device_id: input.device_id, server_url: input.server_url, role: check.role }, 'connection saved');
    this.dispatch({ type: 'connected' });
    // A new server or token: the live socket follows the connection.
    if (this.live) {
      this.releaseLiveLink();
      this.holdLiveLink();
    } else if (this.scheduler.started && this.options.live) {
      this.holdLiveLink();
    }
    void this.syncNow('connected');
    return check;
  }

  /** Re-reads the interval (after the user changed it). */
  scheduleInterval(): void {
    this.dispatch({ type: 'interval-changed', intervalMs: this.intervalMs() });
  }

  listConflicts(options: { include_closed?: boolean } = {}) {
    return listConflicts(this.store, options);
  }

  /** Seed: "After conflict resolution" → sync. */
  async resolveConflict(id: number, action: ConflictAction, field?: string): Promise<void> {
    const { tables } = resolveConflict(this.store, id, action, this.now, field);
    this.log.info({ conflict_id: id, action, field }, 'conflict resolved');
    if (tables.length > 0) this.emitSafely('data-changed', tables);
    this.emitStatus();
    if (action === 'apply_other') void this.syncNow('conflict-resolved');
  }

  listRecentMerges() {
    return listRecentMerges(this.store);
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

  // ---- carrying out the scheduler's decisions ----

  private trigger(kind: RunKind, reason: string, immediate: boolean): Promise<void> {
    if (!readConnection(this.store)) {
      this.emitStatus(); // not_configured
      return Promise.resolve();
    }
    return this.wait((waiter) => this.dispatch({ type: 'trigger', kind, reason, immediate, waiter }));
  }

  /** A promise resolved when the scheduler releases this waiter (its run ended, or stop()). */
  private wait(send: (waiter: WaiterId) => void): Promise<void> {
    const waiter = (this.nextWaiter += 1);
    const done = new Promise<void>((resolve) => this.waiters.set(waiter, resolve));
    send(waiter);
    return done;
  }

  private dispatch(event: SchedulerEvent): void {
    const { state, effects } = nextState(this.config, this.scheduler, event);
    this.scheduler = state;
    for (const effect of effects) this.perform(effect);
    this.emitStatus();
  }

  private perform(effect: SchedulerEffect): void {
    switch (effect.type) {
      case 'run':
        this.running = this.execute(effect.kind, effect.reason);
        return;
      case 'abort-run':
        this.runAbort.abort();
        return;
      case 'set-timer': {
        this.clearTimer(effect.timer);
        const handle = this.timers.setTimeout(() => {
          this.timerHandles.delete(effect.timer);
          this.dispatch({ type: 'timer', timer: effect.timer, intervalMs: this.intervalMs() });
        }, effect.ms);
        this.timerHandles.set(effect.timer, handle);
        return;
      }
      case 'clear-timer':
        this.clearTimer(effect.timer);
        return;
      case 'probe':
        void this.probe();
        return;
      case 'resolve':
        for (const waiter of effect.waiters) {
          this.waiters.get(waiter)?.();
          this.waiters.delete(waiter);
        }
        return;
    }
  }

  private clearTimer(timer: TimerName): void {
    const handle = this.timerHandles.get(timer);
    if (handle !== undefined) this.timers.clearTimeout(handle);
    this.timerHandles.delete(timer);
  }

  /** One run; never rejects (runs start from timers, where a rejection takes the process down). */
  private async execute(kind: RunKind, reason: string): Promise<void> {
    // Each run its own: a stop() ends the run in progress, not one triggered after it.
    this.runAbort = new AbortController();
    const summary: RunSummary = { kind, reason, ok: false, error: null, pushed: null, pulled: null };
    let outcome: RunOutcome = { outcome: 'stopped' };
    try {
      const config = readConnection(this.store);
      if (config) {
        outcome = await runSync(
          {
            store: this.store,
            config,
            log: this.log,
            now: this.now,
            fetch: this.options.fetch,
            requestTimeoutMs: this.options.requestTimeoutMs,
            pageSize: this.options.pageSize,
            batchSize: this.options.batchSize,
            signal: this.runAbort.signal,
            onPhase: (state, progress) => {
              this.activity = { state, progress };
              this.emitStatus();
            },
            onDataChanged: (tables) => this.emitSafely('data-changed', tables),
          },
          kind,
          summary,
        );
      }
    } catch (error) {
      // runSync handles sync failures itself; this is the store gone under it (closed at quit).
      this.log.error({ err: error }, 'sync run ended unexpectedly');
    }
    this.activity = null;
    this.running = null;
    // Set when the run is over, before its callers wake: a caller reads its own run's summary,
    // not that of the queued run that starts right after.
    this.lastRun = summary;
    try {
      this.dispatch(
        outcome.outcome === 'failed'
          ? { type: 'run-finished', ...outcome, now: this.now().getTime(), random: this.random() }
          : { type: 'run-finished', outcome: outcome.outcome },
      );
    } catch (error) {
      this.log.error({ err: error }, 'sync scheduling failed after a run');
    }
    if (outcome.outcome === 'failed') {
      const { attempt, retry, phase } = this.scheduler;
      this.log.warn(
        {
          attempt,
          max_attempts: this.maxAttempts,
          next_retry_at: retry ? new Date(retry.at).toISOString() : null,
          state: phase,
        },
        'sync attempt failed',
      );
    }
  }

  private async probe(): Promise<void> {
    const config = readConnection(this.store);
    if (!config) return;
    let reachable = true;
    try {
      await new SyncClient({
        serverUrl: config.server_url,
        deviceId: config.device_id,
        token: config.token,
        fetch: this.options.fetch,
        timeoutMs: 5000,
      }).status();
    } catch {
      reachable = false;
    }
    // Stopped while the probe was on the wire (the app may have closed the store by now): the
    // scheduler ignores the answer.
    if (reachable && this.scheduler.started) this.log.info({ device_id: config.device_id }, 'server reachable again');
    this.dispatch({ type: 'probe-finished', reachable });
  }

  /**
   * Opens the live socket (start() does when the `live` option is on; the device CLI's loop asks
   * for it itself). Each poke triggers a pull; stop() closes it.
   */
  holdLiveLink(): void {
    const config = readConnection(this.store);
    if (!config || this.live) return;
    const tuning = typeof this.options.live === 'object' ? this.options.live : {};
    const tables = tablesReadableBy(config.role);
    this.live = new LiveLink({
      serverUrl: config.server_url,
      token: config.token,
      helloCursor: () => helloCursorOf(this.store, tables),
      // A poke is a background trigger like the interval: coalesced, and it waits out a backoff.
      onPoke: () => void this.trigger('pull', 'poke', false),
      onModeChange: () => this.emitStatus(),
      log: this.log.child({ device_id: config.device_id }),
      random: this.random,
      ...tuning,
    });
    this.live.start();
  }

  releaseLiveLink(): void {
    this.live?.stop();
    this.live = null;
    this.emitStatus();
  }

  private intervalMs(): number {
    return readSyncIntervalMinutes(this.store) * 60_000;
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
