// The always-visible sync panel (issue 4): online or offline, last sync, pending changes,
// progress of a running sync, the error with its attempt count, the alert after the last
// failed attempt (also as a browser notification in the web host), changes the server refused
// for good, and the Sync Now button.
import { useQuery } from '@tanstack/react-query';
import { useInsight } from '../../api/context.js';
import { useSyncNow } from '../../api/mutations.js';
import { syncStatusQuery } from '../../api/queries.js';
import { BrowserAlertNotice } from './BrowserAlertNotice.js';
import { activityLabel, attemptLabel, connectionLabel, lastSyncLabel } from './describe-status.js';
import { NeedsAttention } from './NeedsAttention.js';
import { RecentMerges } from './RecentMerges.js';

export const SyncPanel = () => {
  const api = useInsight();
  const status = useQuery(syncStatusQuery(api));
  const syncNow = useSyncNow();

  if (!status.data) {
    return (
      <section aria-label="Sync status" className="sync-panel">
        <h2>Sync</h2>
        <p className="muted">
          {status.isError ? `Sync status unavailable: ${status.error.message}` : 'Loading sync status…'}
        </p>
      </section>
    );
  }
  const s = status.data;
  const running = s.state === 'pulling' || s.state === 'pushing';
  // The engine reports an unreachable server as offline, with the retry it is on.
  const failing = s.state === 'error' || s.state === 'alert' || (s.state === 'offline' && s.attempt > 0);

  return (
    <section aria-label="Sync status" className={`sync-panel sync-panel--${s.state}`}>
      <h2>Sync</h2>
      <div role="status" aria-live="polite" className="sync-panel__status">
        <p className="sync-panel__connection">
          <span
            className={`sync-dot sync-dot--${s.state === 'not_configured' ? 'off' : s.online ? 'on' : 'down'}`}
            aria-hidden="true"
          />
          {connectionLabel(s)}
        </p>
        {s.mode === 'live' && s.state !== 'not_configured' && <p className="sync-panel__live">Live</p>}
        <p className="sync-panel__activity">{activityLabel(s)}</p>
      </div>

      {running && s.progress && (
        <progress aria-label="Sync progress" max={Math.max(s.progress.total, 1)} value={s.progress.done} />
      )}

      {s.state === 'not_configured' ? (
        <p>
          <a href="#/settings">Set up the connection</a>
        </p>
      ) : (
        <ul className="sync-panel__facts">
          <li>Pending changes: {s.pending_count}</li>
          <li>{lastSyncLabel(s.last_sync_at)}</li>
          {s.open_conflicts > 0 && (
            <li>
              <a href="#/conflicts">Open conflicts: {s.open_conflicts}</a>
            </li>
          )}
        </ul>
      )}

      {failing && (
        <div className="sync-panel__error">
          {s.error && <p>Sync error: {s.error}</p>}
          <p>{attemptLabel(s)}</p>
          {s.next_retry_at && s.state !== 'alert' && (
            <p>Next try at {new Date(s.next_retry_at).toLocaleTimeString()}</p>
          )}
        </div>
      )}

      {s.state === 'alert' && (
        <div role="alert" className="sync-panel__alert">
          <p>
            <strong>Sync failed {s.max_attempts} times</strong>
          </p>
          <p>Your changes are kept on this Mac. Check that the server is running, then press Sync Now.</p>
        </div>
      )}

      {s.state !== 'not_configured' && <BrowserAlertNotice status={s} />}

      {s.needs_attention_count > 0 && <NeedsAttention count={s.needs_attention_count} />}

      {s.state !== 'not_configured' && <RecentMerges />}

      <button
        type="button"
        className="button button--primary"
        onClick={() => syncNow.mutate({})}
        disabled={s.state === 'not_configured' || syncNow.isPending}
      >
        Sync Now
      </button>
      {syncNow.isError && <p className="form-error">Could not start a sync: {syncNow.error.message}</p>}
    </section>
  );
};
