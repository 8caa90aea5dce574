// The scheduler's rules, checked without a server: a small driver carries out the effects with
// vitest's fake timers (so "30 seconds later" takes no time) and stands in for the runs, which
// the test ends with the outcome it wants.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  initialSchedulerState,
  MAX_RETRY_AFTER_MS,
  nextState,
  type RunKind,
  type SchedulerConfig,
  type SchedulerEvent,
  type TimerName,
} from './scheduler.js';

const config: SchedulerConfig = {
  maxAttempts: 5,
  backoffBaseMs: 1000,
  backoffCapMs: 4000,
  probeIntervalMs: 15_000,
  pushDebounceMs: 1000,
};
const INTERVAL = 5 * 60_000;

function driver(random = 0.5) {
  let state = initialSchedulerState;
  const runs: Array<{ kind: RunKind; reason: string }> = [];
  const released: number[] = [];
  const timers = new Map<TimerName, ReturnType<typeof setTimeout>>();
  let aborted = 0;
  let probes = 0;
  let nextWaiter = 0;
  const send = (event: SchedulerEvent) => {
    const t = nextState(config, state, event);
    state = t.state;
    for (const effect of t.effects) {
      if (effect.type === 'run') runs.push({ kind: effect.kind, reason: effect.reason });
      else if (effect.type === 'abort-run') aborted += 1;
      else if (effect.type === 'probe') probes += 1;
      else if (effect.type === 'resolve') released.push(...effect.waiters);
      else if (effect.type === 'clear-timer') {
        clearTimeout(timers.get(effect.timer));
        timers.delete(effect.timer);
      } else {
        clearTimeout(timers.get(effect.timer));
        const timer = effect.timer;
        timers.set(
          timer,
          setTimeout(() => (timers.delete(timer), send({ type: 'timer', timer, intervalMs: INTERVAL })), effect.ms),
        );
      }
    }
  };
  const waiter = () => (nextWaiter += 1);
  return {
    get state() {
      return state;
    },
    runs,
    released,
    timers,
    get aborted() {
      return aborted;
    },
    get probes() {
      return probes;
    },
    start: () => send({ type: 'start', intervalMs: INTERVAL, waiter: waiter() }),
    stop: () => send({ type: 'stop' }),
    trigger: (kind: RunKind, reason: string, immediate = false) => {
      const id = waiter();
      send({ type: 'trigger', kind, reason, immediate, waiter: id });
      return id;
    },
    localWrite: () => send({ type: 'local-write' }),
    succeed: () => send({ type: 'run-finished', outcome: 'ok' }),
    fail: (unreachable = true) =>
      send({ type: 'run-finished', outcome: 'failed', error: 'fetch failed', unreachable, now: Date.now(), random }),
    stopped: () => send({ type: 'run-finished', outcome: 'stopped' }),
    probeAnswer: (reachable: boolean) => send({ type: 'probe-finished', reachable }),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sync scheduler', () => {
  it('runs a full sync at start-up, and a pull every interval after it', () => {
    const d = driver();
    d.start();
    expect(d.runs).toEqual([{ kind: 'full', reason: 'start-up' }]);
    d.succeed();
    vi.advanceTimersByTime(INTERVAL);
    expect(d.runs.at(-1)).toEqual({ kind: 'pull', reason: 'interval' });
    d.succeed();
    vi.advanceTimersByTime(INTERVAL);
    expect(d.runs).toHaveLength(3);
  });

  it('coalesces every trigger that arrives during a run into exactly one more run, and releases every caller', () => {
    const d = driver();
    const first = d.trigger('pull', 'one');
    const later = [d.trigger('pull', 'poke'), d.trigger('push', 'local-write'), d.trigger('pull', 'interval')];
    expect(d.runs).toHaveLength(1);
    d.succeed();
    expect(d.released).toEqual([first]);
    // A pull and a push asked for while running: the one run after does both.
    expect(d.runs).toEqual([
      { kind: 'pull', reason: 'one' },
      { kind: 'full', reason: 'coalesced' },
    ]);
    d.succeed();
    expect(d.released).toEqual([first, ...later]);
    expect(d.state.running).toBeNull();
  });

  it('turns a burst of local writes into one push, a moment after the last write', () => {
    const d = driver();
    d.start();
    d.succeed();
    for (let i = 0; i < 5; i++) {
      d.localWrite();
      vi.advanceTimersByTime(500);
    }
    expect(d.runs).toHaveLength(1);
    vi.advanceTimersByTime(500);
    expect(d.runs.at(-1)).toEqual({ kind: 'push', reason: 'local-write' });
    expect(d.runs).toHaveLength(2);
  });

  it('backs off exponentially with jitter up to the cap, then raises the alert after 5 failed attempts and schedules nothing', () => {
    const delays = (random: number) => {
      const d = driver(random);
      d.start();
      const seen: number[] = [];
      for (let attempt = 1; attempt <= 5; attempt++) {
        const before = Date.now();
        d.fail();
        expect(d.state.attempt).toBe(attempt);
        if (attempt === 5) break;
        expect(d.state.phase).toBe('offline');
        const at = d.state.retry!.at;
        seen.push(at - before);
        vi.advanceTimersByTime(at - before - 1);
        expect(d.runs).toHaveLength(attempt); // not a moment early
        vi.advanceTimersByTime(1);
        expect(d.runs.at(-1)?.reason).toBe('retry');
      }
      expect(d.state).toMatchObject({ phase: 'alert', retry: null });
      expect(d.timers.has('retry')).toBe(false);
      d.stop();
      return seen;
    };
    expect(delays(0.999999)).toEqual([1000, 2000, 4000, 4000]);
    expect(delays(0)).toEqual([500, 1000, 2000, 2000]);
    expect(backoffDelay(config, 1, 0.5)).toBe(750);
  });

  it('starts a new series of attempts with the first trigger after the alert', () => {
    const d = driver();
    d.start();
    for (let i = 0; i < 5; i++) {
      d.fail();
      vi.advanceTimersByTime(4000);
    }
    expect(d.state.phase).toBe('alert');
    d.trigger('full', 'sync-now', true);
    expect(d.state.attempt).toBe(0);
    d.fail(false);
    expect(d.state).toMatchObject({ phase: 'error', attempt: 1 });
    expect(d.state.retry).not.toBeNull();
  });

  it('lets background triggers ride on a scheduled retry, while Sync Now runs at once and takes the retry with it', () => {
    const d = driver();
    d.start();
    d.fail();
    const poke = d.trigger('pull', 'poke');
    const write = d.trigger('push', 'local-write');
    expect(d.runs).toHaveLength(1); // waiting out the backoff, no extra attempt
    expect(d.state.retry?.kind).toBe('full');

    const now = d.trigger('full', 'sync-now', true);
    expect(d.runs.at(-1)).toEqual({ kind: 'full', reason: 'sync-now' });
    expect(d.timers.has('retry')).toBe(false);
    expect(d.state.retry).toBeNull();
    d.succeed();
    expect(d.released).toEqual(expect.arrayContaining([poke, write, now]));
    vi.advanceTimersByTime(60_000);
    expect(d.runs).toHaveLength(2); // the folded retry does not run again
  });

  it('runs a Sync Now pressed during a failing run right after it instead of waiting out the backoff', () => {
    const d = driver();
    d.start();
    const now = d.trigger('full', 'sync-now', true);
    d.fail();
    expect(d.runs).toHaveLength(2);
    expect(d.state).toMatchObject({ attempt: 1, retry: null });
    d.fail();
    expect(d.state.attempt).toBe(2);
    expect(d.released).toContain(now);
  });

  it('probes an unreachable server and syncs at once when it answers, clearing an alert', () => {
    const d = driver();
    d.start();
    for (let i = 0; i < 5; i++) {
      d.fail();
      vi.advanceTimersByTime(4000);
    }
    expect(d.state.phase).toBe('alert');
    vi.advanceTimersByTime(15_000);
    expect(d.probes).toBeGreaterThan(0);
    d.probeAnswer(false);
    const probes = d.probes;
    vi.advanceTimersByTime(15_000);
    expect(d.probes).toBe(probes + 1);
    d.probeAnswer(true);
    expect(d.runs.at(-1)).toEqual({ kind: 'full', reason: 'reconnect' });
    expect(d.state).toMatchObject({ attempt: 0, online: true });
    d.succeed();
    expect(d.state.phase).toBe('idle');
  });

  it('stop() aborts the run, clears every timer, releases waiting callers, and ignores a late probe answer', () => {
    const d = driver();
    d.start();
    d.fail();
    const riding = d.trigger('pull', 'interval');
    d.trigger('full', 'sync-now', true);
    const queued = d.trigger('pull', 'poke');
    d.stop();
    expect(d.aborted).toBe(1);
    expect(d.timers.size).toBe(0);
    expect(d.released).toContain(queued);
    d.stopped();
    // The stopped run's callers (the retry it folded in among them) are released when it ends.
    expect(d.released).toContain(riding);
    expect(d.state).toMatchObject({ running: null, queued: null, retry: null, attempt: 1 });
    d.probeAnswer(true);
    vi.advanceTimersByTime(INTERVAL * 2);
    expect(d.runs).toHaveLength(2);
  });

  it('a one-shot run (never started, the device CLI) reports its failure and schedules nothing', () => {
    const d = driver();
    d.trigger('full', 'sync');
    d.fail(false);
    expect(d.state).toMatchObject({ phase: 'error', attempt: 1, retry: null, probing: false });
    expect(d.timers.size).toBe(0);
  });

  it('a start() after stop() begins a new series of attempts', () => {
    const d = driver();
    d.start();
    d.fail();
    vi.runOnlyPendingTimers();
    d.fail();
    d.stop();
    d.start();
    expect(d.state.attempt).toBe(0);
  });
});

describe("the server's Retry-After", () => {
  const now = Date.parse('2026-11-29T10:00:00.000Z');
  /** A started scheduler whose first run (attempt 1) just failed with the given Retry-After. */
  const failWith = (retryAfterMs: number | null | undefined, random = 0.5) => {
    let state = nextState(config, initialSchedulerState, { type: 'start', intervalMs: INTERVAL, waiter: 1 }).state;
    expect(state.running).not.toBeNull();
    const failed = nextState(config, state, {
      type: 'run-finished',
      outcome: 'failed',
      error: 'Too many requests',
      unreachable: false,
      now,
      random,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
    state = failed.state;
    const timer = failed.effects.find((e) => e.type === 'set-timer' && e.timer === 'retry');
    return { at: state.retry?.at, ms: timer?.type === 'set-timer' ? timer.ms : undefined, phase: state.phase };
  };

  it('makes the retry wait at least that long when it is longer than the backoff', () => {
    // Attempt 1 backs off 500…1000 ms; the server asked for 30 s.
    expect(failWith(30_000)).toEqual({ at: now + 30_000, ms: 30_000, phase: 'error' });
    expect(failWith(30_000, 0.999)).toEqual({ at: now + 30_000, ms: 30_000, phase: 'error' });
  });

  it('keeps the backoff with its jitter when the server asks for less, or says nothing', () => {
    const backoff = backoffDelay(config, 1, 0.5);
    expect(failWith(100)).toMatchObject({ at: now + backoff, ms: backoff });
    expect(failWith(null)).toMatchObject({ at: now + backoff, ms: backoff });
    expect(failWith(undefined)).toMatchObject({ at: now + backoff, ms: backoff });
    expect(failWith(0)).toMatchObject({ at: now + backoff, ms: backoff });
  });

  it('caps an absurd Retry-After at an hour, and an explicit Sync Now still runs at once', () => {
    expect(failWith(7 * 24 * 3_600_000)).toMatchObject({ at: now + MAX_RETRY_AFTER_MS, ms: MAX_RETRY_AFTER_MS });
    let state = nextState(config, initialSchedulerState, { type: 'start', intervalMs: INTERVAL, waiter: 1 }).state;
    state = nextState(config, state, {
      type: 'run-finished',
      outcome: 'failed',
      error: 'Too many requests',
      unreachable: false,
      now,
      random: 0.5,
      retryAfterMs: 60_000,
    }).state;
    // A background trigger rides on the server-timed retry; Sync Now does not wait for it.
    const background = nextState(config, state, {
      type: 'trigger',
      kind: 'pull',
      reason: 'interval',
      immediate: false,
      waiter: 2,
    });
    expect(background.effects.some((e) => e.type === 'run')).toBe(false);
    expect(background.state.retry?.at).toBe(now + 60_000);
    const syncNow = nextState(config, background.state, {
      type: 'trigger',
      kind: 'full',
      reason: 'sync-now',
      immediate: true,
      waiter: 3,
    });
    expect(syncNow.effects).toContainEqual({ type: 'run', kind: 'full', reason: 'sync-now' });
  });
});
