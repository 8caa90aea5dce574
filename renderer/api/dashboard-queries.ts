// The Home dashboard's and the KPI overview's reads, declared once as react-query `queryOptions`
// factories. Their keys start with the feature whose tables they show (completion under
// `submissions`, KPI cells and trends under `kpis`), so the `data:changed` events and the local
// edits that refresh those features refresh these too (events.ts, mutations.ts).
import { queryOptions } from '@tanstack/react-query';
import type { InsightApi, IpcRequest } from '../../shared/ipc.js';
import { call } from './bridge.js';
import { queryKeys } from './queries.js';

export const completionQuery = (api: InsightApi, request: IpcRequest<'dashboard:completion'>) =>
  queryOptions({
    queryKey: [...queryKeys.submissions, 'dashboard-completion', request],
    queryFn: () => call(api, 'dashboard:completion', request),
  });

export const kpiOverviewQuery = (api: InsightApi) =>
  queryOptions({ queryKey: [...queryKeys.kpis, 'overview'], queryFn: () => call(api, 'kpis:overview', {}) });

export const kpiTrendQuery = (api: InsightApi, request: IpcRequest<'kpis:trend'>) =>
  queryOptions({
    queryKey: [...queryKeys.kpis, 'trend', request],
    queryFn: () => call(api, 'kpis:trend', request),
  });
