// Every read the renderer makes, declared once as a react-query `queryOptions` factory, one per
// read channel. Query keys start with the feature name, so `data:changed` can invalidate a whole
// feature (see events.ts) without knowing which filters are on screen.
import { queryOptions } from '@tanstack/react-query';
import type { InsightApi, IpcRequest } from '../../shared/ipc.js';
import { call } from './bridge.js';

export const queryKeys = {
  forms: ['forms'] as const,
  templates: ['templates'] as const,
  submissions: ['submissions'] as const,
  kpis: ['kpis'] as const,
  team: ['team'] as const,
  stores: ['stores'] as const,
  config: ['config'] as const,
  syncStatus: ['sync', 'status'] as const,
  pendingChanges: ['sync', 'pending'] as const,
  recentMerges: ['sync', 'merges'] as const,
  conflicts: ['conflicts'] as const,
};

export const formsListQuery = (api: InsightApi) =>
  queryOptions({ queryKey: [...queryKeys.forms, 'list'], queryFn: () => call(api, 'forms:list', {}) });

export const formQueryKey = (id: string) => [...queryKeys.forms, 'detail', id] as const;

export const formQuery = (api: InsightApi, id: string) =>
  queryOptions({ queryKey: formQueryKey(id), queryFn: () => call(api, 'forms:get', { id }) });

export const templatesQuery = (api: InsightApi) =>
  queryOptions({ queryKey: [...queryKeys.templates], queryFn: () => call(api, 'templates:list', {}) });

/** One page of submissions; the virtualized list asks for the pages it is showing. */
export const submissionsPageQuery = (api: InsightApi, filter: IpcRequest<'submissions:list'>) =>
  queryOptions({
    queryKey: [...queryKeys.submissions, 'list', filter],
    queryFn: () => call(api, 'submissions:list', filter),
  });

export const submissionQueryKey = (id: string) => [...queryKeys.submissions, 'detail', id] as const;

export const submissionQuery = (api: InsightApi, id: string) =>
  queryOptions({ queryKey: submissionQueryKey(id), queryFn: () => call(api, 'submissions:get', { id }) });

/** Counts of the submissions the same filters show (the list's scope, without paging or sort). */
export const completionCountsQuery = (api: InsightApi, scope: IpcRequest<'submissions:completion-counts'> = {}) =>
  queryOptions({
    queryKey: [...queryKeys.submissions, 'completion-counts', scope],
    queryFn: () => call(api, 'submissions:completion-counts', scope),
  });

export const kpisQuery = (api: InsightApi, filter: IpcRequest<'kpis:list'> = {}) =>
  queryOptions({ queryKey: [...queryKeys.kpis, filter], queryFn: () => call(api, 'kpis:list', filter) });

export const teamQuery = (api: InsightApi) =>
  queryOptions({ queryKey: [...queryKeys.team], queryFn: () => call(api, 'team:list', {}) });

/** Every store, inactive ones too (the Stores screen shows them; pickers offer the active ones). */
export const storesQuery = (api: InsightApi) =>
  queryOptions({ queryKey: [...queryKeys.stores], queryFn: () => call(api, 'stores:list', {}) });

export const configQuery = (api: InsightApi) =>
  queryOptions({ queryKey: [...queryKeys.config], queryFn: () => call(api, 'config:get', {}) });

export const syncStatusQuery = (api: InsightApi) =>
  queryOptions({
    queryKey: [...queryKeys.syncStatus],
    queryFn: () => call(api, 'sync:status', {}),
    // `sync:status` events keep this fresh (events.ts); the poll only covers a dropped event.
    refetchInterval: 15_000,
  });

export const pendingChangesQuery = (api: InsightApi) =>
  queryOptions({ queryKey: [...queryKeys.pendingChanges], queryFn: () => call(api, 'sync:pending', {}) });

export const recentMergesQuery = (api: InsightApi) =>
  queryOptions({ queryKey: [...queryKeys.recentMerges], queryFn: () => call(api, 'sync:merges', {}) });

export const conflictsQuery = (api: InsightApi, includeClosed = false) =>
  queryOptions({
    queryKey: [...queryKeys.conflicts, { include_closed: includeClosed }],
    queryFn: () => call(api, 'conflicts:list', { include_closed: includeClosed }),
  });
