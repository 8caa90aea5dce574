// The app's root: react-query, the Insight API, the engine's events, and the choice between the
// first-run setup and the main layout.
import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { InsightApi } from '../../shared/ipc.js';
import { InsightProvider, useInsight } from '../api/context.js';
import { useInsightEvents } from '../api/events.js';
import { configQuery } from '../api/queries.js';
import { ToastProvider } from '../components/Toasts.js';
import { SetupScreen } from '../features/setup/SetupScreen.js';
import { Layout } from './Layout.js';
import { Reconnecting } from './Reconnecting.js';

const createQueryClient = () =>
  new QueryClient({
    defaultOptions: {
      // The core is local: a failed call is an answer (shown to the manager), not a flaky network.
      queries: { retry: 1, staleTime: 5_000 },
    },
  });

const Root = () => {
  const api = useInsight();
  const queryClient = useQueryClient();
  useInsightEvents(api, queryClient);
  const config = useQuery(configQuery(api));

  if (config.isPending) return <p className="boot muted">Starting the Store Manager…</p>;
  if (config.isError) {
    return (
      <main className="setup">
        <div className="setup__card">
          <h1>The Store Manager could not start</h1>
          <p role="alert">{config.error.message}</p>
        </div>
      </main>
    );
  }
  if (!config.data.server_url || !config.data.has_token) return <SetupScreen config={config.data} />;
  return <Layout />;
};

export const App = ({ api, queryClient }: { api: InsightApi; queryClient?: QueryClient }) => {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <InsightProvider api={api}>
        <ToastProvider>
          <Root />
          <Reconnecting />
        </ToastProvider>
      </InsightProvider>
    </QueryClientProvider>
  );
};

/** Shown when neither the Electron preload nor the web host's bridge provided `window.insight`. */
export const NotConnected = () => (
  <main className="setup">
    <div className="setup__card">
      <h1>Not connected to the Store Manager core</h1>
      <p role="alert">
        This page needs the Store Manager core, which the desktop app or the web host (<code>npm run web</code>)
        provides. Open the Store Manager through one of them.
      </p>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        Try again
      </button>
    </div>
  </main>
);
