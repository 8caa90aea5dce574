// The UI follows the engine: `data:changed` names the tables whose local rows changed, and we
// invalidate the queries that show them; `sync:status` replaces the cached status directly, so
// the sync panel moves with every progress event without a round trip.
import { useEffect } from 'react';
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { InsightApi, SyncStatus } from '../../shared/ipc.js';
import type { TableName } from '../../shared/tables.js';
import { queryKeys } from './queries.js';

/** Which cached queries show each synced table. */
const queriesShowingTable: Record<TableName, readonly QueryKey[]> = {
  // Submissions list the form title, so form changes refresh them too.
  forms: [queryKeys.forms, queryKeys.submissions],
  form_sections: [queryKeys.forms],
  fields: [queryKeys.forms, queryKeys.submissions],
  form_templates: [queryKeys.templates],
  submissions: [queryKeys.submissions],
  submission_answers: [queryKeys.submissions],
  team: [queryKeys.team],
  kpi_data: [queryKeys.kpis],
  settings: [queryKeys.config],
  // Every store picker lists them.
  stores: [queryKeys.stores],
};

const invalidateTables = async (queryClient: QueryClient, tables: readonly TableName[]) => {
  const keys = new Map<string, QueryKey>();
  for (const table of tables) for (const key of queriesShowingTable[table]) keys.set(JSON.stringify(key), key);
  // Any local change may also have queued, resolved or recorded something the sync views list.
  keys.set('pending', queryKeys.pendingChanges);
  keys.set('conflicts', queryKeys.conflicts);
  // A push answer that merged a change with another device's edit changed rows (data:changed).
  keys.set('merges', queryKeys.recentMerges);
  await Promise.all([...keys.values()].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
};

const applySyncStatus = (queryClient: QueryClient, status: SyncStatus) => {
  const previous = queryClient.getQueryData<SyncStatus>(queryKeys.syncStatus);
  queryClient.setQueryData(queryKeys.syncStatus, status);
  if (
    !previous ||
    previous.needs_attention_count !== status.needs_attention_count ||
    previous.pending_count !== status.pending_count
  ) {
    void queryClient.invalidateQueries({ queryKey: queryKeys.pendingChanges });
  }
  if (!previous || previous.open_conflicts !== status.open_conflicts) {
    void queryClient.invalidateQueries({ queryKey: queryKeys.conflicts });
  }
};

/** Subscribes to the engine's events for as long as the app is mounted. */
export const useInsightEvents = (api: InsightApi, queryClient: QueryClient) => {
  useEffect(() => {
    const offData = api.on('data:changed', ({ tables }) => void invalidateTables(queryClient, tables));
    const offStatus = api.on('sync:status', (status) => applySyncStatus(queryClient, status));
    return () => {
      offData();
      offStatus();
    };
  }, [api, queryClient]);
};
