// Sync at a glance: this Mac's sync state (the chip's words), what waits (pending, refused, open
// conflicts), and the devices' week from the server's sync analytics, with a link to Devices.
// The analytics need the server: offline, the card says so and keeps the local part.
import { useQuery } from '@tanstack/react-query';
import { useInsight } from '../../api/context.js';
import { syncStatusQuery } from '../../api/queries.js';
import { syncDevicesQuery } from '../../api/sync-analytics.js';
import { hrefFor } from '../../app/routes.js';
import { chipLabel } from '../sync/describe-status.js';

const DAYS = 7;
const DAY_MS = 86_400_000;

export const SyncSummaryCard = ({ now }: { now: Date }) => {
  const api = useInsight();
  const status = useQuery(syncStatusQuery(api)).data;
  const devices = useQuery(syncDevicesQuery(api, DAYS));
  const active = devices.data?.devices.filter((d) => d.revoked_at === null) ?? [];
  const syncedToday = active.filter((d) => d.last_sync_at && now.getTime() - Date.parse(d.last_sync_at) < DAY_MS);
  const failures = active.reduce((n, d) => n + d.totals.failures + d.totals.refused, 0);
  const chip = status ? chipLabel(status, now.getTime()) : null;

  return (
    <section className="card dashboard-card dashboard-card--sync" aria-labelledby="sync-heading">
      <div className="dashboard-card__head">
        <h2 id="sync-heading">Sync</h2>
        <a href={hrefFor.devices}>Open Devices</a>
      </div>
      {chip && (
        <p className={`sync-summary__state sync-chip--${chip.tone}`}>
          <span className="sync-chip__dot" aria-hidden="true" /> {chip.text}
        </p>
      )}
      {status && (
        <dl className="facts sync-summary__facts">
          <dt>Pending changes</dt>
          <dd>{status.pending_count.toLocaleString()}</dd>
          <dt>Needs attention</dt>
          <dd>{status.needs_attention_count.toLocaleString()}</dd>
          <dt>Open conflicts</dt>
          <dd>
            {status.open_conflicts > 0 ? <a href={hrefFor.conflicts}>{status.open_conflicts.toLocaleString()}</a> : '0'}
          </dd>
        </dl>
      )}
      {devices.data && (
        <p>
          {syncedToday.length.toLocaleString()} of {active.length.toLocaleString()}{' '}
          {active.length === 1 ? 'device' : 'devices'} synced in the last day; {failures.toLocaleString()} failed or
          refused {failures === 1 ? 'request' : 'requests'} in {DAYS} days.
        </p>
      )}
      {devices.isError && <p className="muted">Device activity needs the server: {devices.error.message}</p>}
    </section>
  );
};
