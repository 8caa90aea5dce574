// Settings: the server connection and how often the app syncs in the background.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ipcChannels, SYNC_INTERVAL_MINUTES, type AppConfig } from '../../../shared/ipc.js';
import { useInsight } from '../../api/context.js';
import { useSetSyncInterval } from '../../api/mutations.js';
import { configQuery } from '../../api/queries.js';
import { QueryState } from '../../components/QueryState.js';
import { ConnectionForm } from './ConnectionForm.js';

export const SettingsScreen = () => {
  const api = useInsight();
  const config = useQuery(configQuery(api));
  // Held here, not in the form: a saved interval refetches the config, whose new value remounts
  // the form (keyed by it), and the form's own mutation would lose "The app now syncs every …".
  const setInterval = useSetSyncInterval();

  return (
    <div className="screen">
      <header className="screen__header">
        <h1>Settings</h1>
      </header>
      <QueryState query={config} loading="Loading settings…" failure="Could not load settings" />
      {config.data && (
        <>
          <section aria-labelledby="connection-heading" className="card">
            <h2 id="connection-heading">Server connection</h2>
            <dl className="facts">
              <dt>Server</dt>
              <dd>{config.data.server_url ?? 'Not set'}</dd>
              <dt>Device</dt>
              <dd>{config.data.device_id ?? 'Not set'}</dd>
              <dt>Role</dt>
              <dd>{config.data.role ?? '—'}</dd>
              <dt>Token</dt>
              <dd>{config.data.has_token ? 'Saved' : 'Not set'}</dd>
            </dl>
            <ConnectionForm config={config.data} />
          </section>
          <SyncIntervalForm key={config.data.sync_interval_minutes} config={config.data} setInterval={setInterval} />
        </>
      )}
    </div>
  );
};

interface IntervalProps {
  config: AppConfig;
  setInterval: ReturnType<typeof useSetSyncInterval>;
}

const SyncIntervalForm = ({ config, setInterval }: IntervalProps) => {
  const [minutes, setMinutes] = useState(String(config.sync_interval_minutes));
  // The channel's own schema decides what is valid (whole minutes, SYNC_INTERVAL_MINUTES), as main does.
  const request = ipcChannels['config:set-interval'].request.safeParse({ sync_interval_minutes: Number(minutes) });
  const valid = request.success;

  return (
    <section aria-labelledby="interval-heading" className="card">
      <h2 id="interval-heading">Background sync</h2>
      <form
        className="inline-form"
        aria-label="Sync interval"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (request.success) setInterval.mutate(request.data);
        }}
      >
        <label htmlFor="sync-interval">Sync interval (minutes)</label>
        <input
          id="sync-interval"
          type="number"
          min={SYNC_INTERVAL_MINUTES.min}
          max={SYNC_INTERVAL_MINUTES.max}
          step={1}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          aria-invalid={!valid || undefined}
        />
        <button type="submit" className="button" disabled={!valid || setInterval.isPending}>
          Save interval
        </button>
        {!valid && (
          <p className="form-error">
            Enter whole minutes from {SYNC_INTERVAL_MINUTES.min} to {SYNC_INTERVAL_MINUTES.max}.
          </p>
        )}
        {setInterval.isSuccess && (
          <p role="status">The app now syncs every {setInterval.data.sync_interval_minutes} minutes.</p>
        )}
        {setInterval.isError && <p role="alert">Could not save: {setInterval.error.message}</p>}
      </form>
    </section>
  );
};
