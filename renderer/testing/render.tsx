// Renders a component the way the app does (react-query + the Insight API in context), with a
// fresh cache per test and no retries, so an error reply shows up at once.
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { cleanup, render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { afterEach } from 'vitest';
import type { InsightApi } from '../../shared/ipc.js';
import { InsightProvider, useInsight } from '../api/context.js';
import { useInsightEvents } from '../api/events.js';

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

/** Follows the engine's events (`sync:status`, `data:changed`) as the app's root does. */
const FollowingEvents = ({ children }: { children: ReactNode }) => {
  useInsightEvents(useInsight(), useQueryClient());
  return children;
};

export const renderWithInsight = (ui: ReactElement, api: InsightApi, { events = false }: { events?: boolean } = {}) => {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(
    <QueryClientProvider client={queryClient}>
      <InsightProvider api={api}>{events ? <FollowingEvents>{ui}</FollowingEvents> : ui}</InsightProvider>
    </QueryClientProvider>,
  );
  return { ...result, queryClient };
};
