// Renders a component the way the app does (react-query + the Insight API in context), with a
// fresh cache per test and no retries, so an error reply shows up at once.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach } from 'vitest';
import type { InsightApi } from '../../shared/ipc.js';
import { InsightProvider } from '../api/context.js';

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

export const renderWithInsight = (ui: ReactElement, api: InsightApi) => {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(
    <QueryClientProvider client={queryClient}>
      <InsightProvider api={api}>{ui}</InsightProvider>
    </QueryClientProvider>,
  );
  return { ...result, queryClient };
};
