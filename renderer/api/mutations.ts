// Every write the renderer makes, as react-query mutation hooks. Each says which cached queries
// it makes stale; the engine's `data:changed` event covers what changes later (a sync).
import { hashKey, useMutation, useQueryClient, type Query, type QueryKey } from '@tanstack/react-query';
import type { IpcChannel, IpcReply, IpcRequest } from '../../shared/ipc.js';
import { call } from './bridge.js';
import { useInsight } from './context.js';
import { formQueryKey, queryKeys, submissionQueryKey } from './queries.js';
import { syncAnalyticsKey } from './sync-analytics.js';

/** A local edit also queues a change, so the sync panel's counts move too. */
const localEdit = (...keys: QueryKey[]): QueryKey[] => [...keys, queryKeys.pendingChanges, queryKeys.syncStatus];

/**
 * `gone`: the query of what the write removed. It is left out of the invalidation rather than
 * removed from the cache: a removed query that a mounted screen still observes is created anew on
 * that screen's next render, and fetched, which can only fail. Left alone, it goes with the screen.
 */
const useChannelMutation = <C extends IpcChannel>(
  channel: C,
  stale: readonly QueryKey[] | 'everything',
  gone?: (request: IpcRequest<C>) => QueryKey,
) => {
  const api = useInsight();
  const queryClient = useQueryClient();
  return useMutation<IpcReply<C>, Error, IpcRequest<C>>({
    mutationKey: [channel],
    mutationFn: (request) => call(api, channel, request),
    onSuccess: async (_reply, request) => {
      const goneHash = gone && hashKey(gone(request));
      const predicate = (query: Query) => query.queryHash !== goneHash;
      if (stale === 'everything') return queryClient.invalidateQueries({ predicate });
      await Promise.all(stale.map((queryKey) => queryClient.invalidateQueries({ queryKey, predicate })));
    },
  });
};

export const useSaveForm = () => useChannelMutation('forms:save', localEdit(queryKeys.forms));
export const useSetFormStatus = () => useChannelMutation('forms:set-status', localEdit(queryKeys.forms));
// A deleted form's editor (or submission's detail) is still on screen until the navigation back to
// the list; refetching it would flash "Could not load …" first, and hold the navigation up.
export const useDeleteForm = () =>
  useChannelMutation('forms:delete', localEdit(queryKeys.forms), ({ id }) => formQueryKey(id));
export const useCreateFormFromTemplate = () => useChannelMutation('forms:from-template', localEdit(queryKeys.forms));
export const useSaveFormAsTemplate = () => useChannelMutation('forms:save-as-template', localEdit(queryKeys.templates));
export const useRenameTemplate = () => useChannelMutation('templates:rename', localEdit(queryKeys.templates));
export const useDeleteTemplate = () => useChannelMutation('templates:delete', localEdit(queryKeys.templates));

export const useDeleteSubmission = () =>
  useChannelMutation('submissions:delete', localEdit(queryKeys.submissions), ({ id }) => submissionQueryKey(id));

export const useRestoreSubmission = () => useChannelMutation('submissions:restore', localEdit(queryKeys.submissions));

export const useCreateKpi = () => useChannelMutation('kpis:create', localEdit(queryKeys.kpis));
export const useUpdateKpi = () => useChannelMutation('kpis:update', localEdit(queryKeys.kpis));
export const useDeleteKpi = () => useChannelMutation('kpis:delete', localEdit(queryKeys.kpis));

export const useSaveTeamMember = () => useChannelMutation('team:save', localEdit(queryKeys.team));
export const useDeleteTeamMember = () => useChannelMutation('team:delete', localEdit(queryKeys.team));

export const useSaveStore = () => useChannelMutation('stores:save', localEdit(queryKeys.stores));

export const useConnect = () => useChannelMutation('config:connect', [queryKeys.config, queryKeys.syncStatus]);
export const useSetSyncInterval = () => useChannelMutation('config:set-interval', [queryKeys.config]);

export const useSyncNow = () => useChannelMutation('sync:now', [queryKeys.syncStatus]);
export const useDiscardChange = () =>
  useChannelMutation('sync:discard-change', [queryKeys.pendingChanges, queryKeys.syncStatus]);
/** A revocation happens on the server: only the device list (the sync analytics) changes. */
export const useRevokeDevice = () => useChannelMutation('devices:revoke', [syncAnalyticsKey]);
/** So is a device's move to another store: its rows change on the device's next sync, not here. */
export const useMoveDevice = () => useChannelMutation('devices:scope', [syncAnalyticsKey]);
/** Applying the other version rewrites a row of any table, so every view may change. */
export const useResolveConflict = () => useChannelMutation('conflicts:resolve', 'everything');
