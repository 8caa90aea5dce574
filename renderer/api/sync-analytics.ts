// The dashboard's sync analytics (channel sync:devices), declared once as a react-query
// `queryOptions` factory. The figures come from the server over the network, not from the local
// store, so they are not refreshed by data:changed events: a minute's poll is enough for a
// dashboard, and a refusal (offline, not a manager) is shown as it is instead of being retried.
import { queryOptions } from '@tanstack/react-query';
import type { InsightApi } from '../../shared/ipc.js';
import { DEFAULT_ACTIVITY_DAYS } from '../../shared/protocol/analytics.js';
import { call } from './bridge.js';

export const syncAnalyticsKey = ['sync-analytics'] as const;

export const syncDevicesQuery = (api: InsightApi, days: number = DEFAULT_ACTIVITY_DAYS) =>
  queryOptions({
    queryKey: [...syncAnalyticsKey, 'devices', { days }],
    queryFn: () => call(api, 'sync:devices', { days }),
    staleTime: 30_000,
    refetchInterval: 60_000,
    retry: false,
  });
