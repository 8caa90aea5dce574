// When the engine syncs, as a pure state machine: events in, the next state and the effects out.
// No timers, no I/O, no clock and no randomness inside (the events carry the time and the random
// draw), so every rule below is unit-tested without a server and the engine only carries out the
// effects. The rules (seed: Sync Triggers, Handle failures):
// - One run at a time; triggers that arrive during a run coalesce into exactly one more run.
// - A failed run backs off exponentially with "equal jitter" (half fixed, half random, capped);
//   after `maxAttempts` failed attempts the phase is `alert` and no retry is scheduled; the next
//   trigger starts a new series. When the server said how long to wait (Retry-After on a 429,
//   408 or 5xx), the retry waits at least that long: a rate-limited device stops adding load
//   instead of retrying on its own, shorter schedule (capped at an hour, so a wrong header cannot
//   park the device for days; Sync Now still runs at once).
// - While a retry is scheduled, background triggers (interval, local write, poke) ride on it
//   instead of adding attempts; an explicit trigger (Sync Now, reconnect) runs at once and folds
//   the retry in.
// - While the server is unreachable, a probe asks /sync/status every `probeIntervalMs`; its
//   answer starts a sync at once.
// - stop() aborts the run in progress, clears every timer, and releases every waiting caller.

export type RunKind = 'full' | 'pull' | 'push';
export type TimerName = 'retry' | 'probe' | 'interval' | 'debounce';
/** The scheduler's part of the status' `state` (a run in progress shows as pushing/pulling). */
export type Phase = 'idle' | 'offline' | 'error' | 'alert';
/** A caller waiting for the run its trigger caused (the engine maps ids to promises); null: no one waits. */
export type WaiterId = number;
type Waiter = WaiterId | null;
const own = (waiter: Waiter): WaiterId[] => (waiter === null ? [] : [waiter]);

export interface SchedulerConfig {
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  probeIntervalMs: number;
  pushDebounceMs: number;
}

interface Pending {
  kind: RunKind;
  waiters: WaiterId[];
}

export interface SchedulerState {
  started: boolean;
  /** The run in progress, with the callers that wait for it. */
  running: (Pending & { reason: string }) | null;
  /** Triggers that arrived during the run: exactly one more run. */
  queued: (Pending & { immediate: boolean }) | null;
  /** A retry after a failure, at `at` (epoch ms); background triggers ride on it. */
  retry: (Pending & { at: number }) | null;
  phase: Phase;
  online: boolean;
  attempt: number;
  error: string | null;
  probing: boolean;
}

export type SchedulerEvent =
  | { type: 'start'; intervalMs: number; waiter: WaiterId }
  | { type: 'stop' }
  | { type: 'trigger'; kind: RunKind; reason: string; immediate: boolean; waiter: WaiterId }
  | { type: 'local-write' }
  | { type: 'timer'; timer: TimerName; intervalMs: number }
  | { type: 'interval-changed'; intervalMs: number }
  | { type: 'run-finished'; outcome: 'ok' }
  | { type: 'run-finished'; outcome: 'stopped' }
  | {
      type: 'run-finished';
      outcome: 'failed';
      error: string;
      unreachable: boolean;
      now: number;
      random: number;
      /** The server's Retry-After in ms (main/sync/retry-after.ts); absent or null when it sent none. */
      retryAfterMs?: number | null;
    }
  | { type: 'probe-finished'; reachable: boolean }
  | { type: 'connected' };

export type SchedulerEffect =
  | { type: 'run'; kind: RunKind; reason: string }
  | { type: 'abort-run' }
  | { type: 'set-timer'; timer: TimerName; ms: number }
  | { type: 'clear-timer'; timer: TimerName }
  | { type: 'probe' }
  | { type: 'resolve'; waiters: WaiterId[] };

export interface Transition {
  state: SchedulerState;
  effects: SchedulerEffect[];
}

export const initialSchedulerState: SchedulerState = {
  started: false,
  running: null,
  queued: null,
  retry: null,
  phase: 'idle',
  online: true,
  attempt: 0,
  error: null,
  probing: false,
};

const mergeKinds = (a: RunKind | null | undefined, b: RunKind): RunKind => (!a || a === b ? b : 'full');

/** The longest Retry-After honoured: beyond it the header is taken as a mistake, not a plan. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** Exponential with "equal jitter": half fixed, half random (`random` in [0, 1)), capped. */
export function backoffDelay(
  config: Pick<SchedulerConfig, 'backoffBaseMs' | 'backoffCapMs'>,
  attempt: number,
  random: number,
): number {
  const exp = Math.min(config.backoffCapMs, config.backoffBaseMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (random * exp) / 2);
}

export function nextState(config: SchedulerConfig, state: SchedulerState, event: SchedulerEvent): Transition {
  switch (event.type) {
    case 'start': {
      if (state.started) return { state, effects: [{ type: 'resolve', waiters: [event.waiter] }] };
      // A start-up begins a new series of attempts: failures before a stop() do not count toward the alert.
      const started: SchedulerState = { ...state, started: true, attempt: 0 };
      const trigger = beginOrQueue(config, started, 'full', 'start-up', false, event.waiter);
      return {
        state: trigger.state,
        effects: [{ type: 'set-timer', timer: 'interval', ms: event.intervalMs }, ...trigger.effects],
      };
    }
    case 'stop': {
      const released = [...(state.queued?.waiters ?? []), ...(state.retry?.waiters ?? [])];
      const effects: SchedulerEffect[] = (['retry', 'probe', 'interval', 'debounce'] as const).map((timer) => ({
        type: 'clear-timer',
        timer,
      }));
      if (state.running) effects.unshift({ type: 'abort-run' });
      if (released.length > 0) effects.push({ type: 'resolve', waiters: released });
      // The running run's own waiters are released when it finishes (it ends after its request).
      return { state: { ...state, started: false, queued: null, retry: null, probing: false }, effects };
    }
    case 'trigger':
      return beginOrQueue(config, state, event.kind, event.reason, event.immediate, event.waiter);
    case 'local-write':
      // A burst of local writes becomes one push, shortly after the last one.
      if (!state.started) return { state, effects: [] };
      return { state, effects: [{ type: 'set-timer', timer: 'debounce', ms: config.pushDebounceMs }] };
    case 'interval-changed':
      if (!state.started) return { state, effects: [] };
      return { state, effects: [{ type: 'set-timer', timer: 'interval', ms: event.intervalMs }] };
    case 'timer':
      return onTimer(config, state, event.timer, event.intervalMs);
    case 'run-finished':
      return onRunFinished(config, state, event);
    case 'probe-finished': {
      if (!state.started) return { state, effects: [] };
      if (!event.reachable)
        return { state, effects: [{ type: 'set-timer', timer: 'probe', ms: config.probeIntervalMs }] };
      // The server is back (seed: on network reconnect): an alert's count starts over, and we sync now.
      const back: SchedulerState = {
        ...state,
        online: true,
        probing: false,
        attempt: state.phase === 'alert' ? 0 : state.attempt,
      };
      return beginOrQueue(config, back, 'full', 'reconnect', true, null);
    }
    case 'connected':
      // First-run setup saved a working connection: a fresh start.
      return { state: { ...state, phase: 'idle', attempt: 0, error: null }, effects: [] };
  }
}

function beginOrQueue(
  config: SchedulerConfig,
  state: SchedulerState,
  kind: RunKind,
  reason: string,
  immediate: boolean,
  waiter: Waiter,
): Transition {
  if (state.running) {
    // Coalesce: however many triggers arrive during a run, exactly one more run follows.
    const queued = {
      kind: mergeKinds(state.queued?.kind, kind),
      immediate: (state.queued?.immediate ?? false) || immediate,
      waiters: [...(state.queued?.waiters ?? []), ...own(waiter)],
    };
    return { state: { ...state, queued }, effects: [] };
  }
  if (state.retry && !immediate) {
    // A retry is already scheduled: background triggers wait for it instead of adding attempts.
    const retry = {
      ...state.retry,
      kind: mergeKinds(state.retry.kind, kind),
      waiters: [...state.retry.waiters, ...own(waiter)],
    };
    return { state: { ...state, retry }, effects: [] };
  }
  // An explicit trigger during a backoff runs now and takes the scheduled retry with it.
  const folded = state.retry;
  const effects: SchedulerEffect[] = folded ? [{ type: 'clear-timer', timer: 'retry' }] : [];
  return begin(
    state,
    { kind: mergeKinds(folded?.kind, kind), waiters: [...own(waiter), ...(folded?.waiters ?? [])] },
    reason,
    effects,
  );
}

function begin(state: SchedulerState, pending: Pending, reason: string, effects: SchedulerEffect[]): Transition {
  // The first run after the alert starts a new series of attempts.
  const attempt = state.phase === 'alert' ? 0 : state.attempt;
  return {
    state: { ...state, attempt, retry: null, running: { ...pending, reason } },
    effects: [...effects, { type: 'run', kind: pending.kind, reason }],
  };
}

function onTimer(config: SchedulerConfig, state: SchedulerState, timer: TimerName, intervalMs: number): Transition {
  switch (timer) {
    case 'interval': {
      // Seed: a background pull every interval (the next one is armed first, whatever this one does).
      const pull = beginOrQueue(config, state, 'pull', 'interval', false, null);
      return {
        state: pull.state,
        effects: [{ type: 'set-timer', timer: 'interval', ms: intervalMs }, ...pull.effects],
      };
    }
    case 'debounce':
      return beginOrQueue(config, state, 'push', 'local-write', false, null);
    case 'probe':
      if (!state.started || state.online) return { state: { ...state, probing: false }, effects: [] };
      return { state, effects: [{ type: 'probe' }] };
    case 'retry': {
      if (!state.retry) return { state, effects: [] };
      const retry = state.retry;
      if (state.running) {
        // Cannot happen (a run clears the retry), but never two runs at once: it joins the queue.
        const queued = {
          kind: mergeKinds(state.queued?.kind, retry.kind),
          immediate: state.queued?.immediate ?? false,
          waiters: [...(state.queued?.waiters ?? []), ...retry.waiters],
        };
        return { state: { ...state, retry: null, queued }, effects: [] };
      }
      return begin(state, retry, 'retry', []);
    }
  }
}

function onRunFinished(
  config: SchedulerConfig,
  state: SchedulerState,
  event: Extract<SchedulerEvent, { type: 'run-finished' }>,
): Transition {
  const finished = state.running;
  let next: SchedulerState = { ...state, running: null };
  const effects: SchedulerEffect[] =
    finished && finished.waiters.length > 0 ? [{ type: 'resolve', waiters: finished.waiters }] : [];
  if (event.outcome === 'ok') {
    next = { ...next, phase: 'idle', attempt: 0, error: null, online: true, probing: false };
    effects.push({ type: 'clear-timer', timer: 'probe' });
  } else if (event.outcome === 'failed') {
    const attempt = next.attempt + 1;
    next = { ...next, attempt, error: event.error, online: !event.unreachable };
    const failedPhase: Phase = event.unreachable ? 'offline' : 'error';
    if (!next.started) {
      // One-shot use (the device CLI): report the failure, schedule nothing.
      next.phase = failedPhase;
    } else if (attempt >= config.maxAttempts) {
      next.phase = 'alert';
    } else {
      const serverWait = Math.min(Math.max(0, event.retryAfterMs ?? 0), MAX_RETRY_AFTER_MS);
      const delay = Math.max(backoffDelay(config, attempt, event.random), serverWait);
      next = {
        ...next,
        phase: failedPhase,
        retry: { kind: finished?.kind ?? 'full', waiters: [], at: event.now + delay },
      };
      effects.push({ type: 'set-timer', timer: 'retry', ms: delay });
    }
    if (event.unreachable && next.started && !next.probing) {
      next.probing = true;
      effects.push({ type: 'set-timer', timer: 'probe', ms: config.probeIntervalMs });
    }
  }
  // outcome 'stopped' (stop() aborted it): not a failure, no attempt counted, no retry.

  const queued = next.queued;
  if (!queued) return { state: next, effects };
  next = { ...next, queued: null };
  if (next.retry && !queued.immediate) {
    // The failed run scheduled its own retry; triggers queued meanwhile ride on that retry.
    const retry = {
      ...next.retry,
      kind: mergeKinds(next.retry.kind, queued.kind),
      waiters: [...next.retry.waiters, ...queued.waiters],
    };
    return { state: { ...next, retry }, effects };
  }
  // "Sync Now" during a run that failed runs right after it, as asked; the retry is folded in.
  const folded = next.retry;
  if (folded) effects.push({ type: 'clear-timer', timer: 'retry' });
  const run = begin(
    next,
    { kind: mergeKinds(folded?.kind, queued.kind), waiters: [...queued.waiters, ...(folded?.waiters ?? [])] },
    'coalesced',
    effects,
  );
  return run;
}
