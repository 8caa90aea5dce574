// One handler per channel of shared/ipc.ts, each a thin call into the repositories or the sync
// engine. They receive requests already checked by handle() (main/ipc/handle.ts), so they never
// parse anything themselves. A write needs no call here: every committed local write reaches the
// engine (seed: "push right after a local edit") and the UI's data:changed event through the
// store's onLocalWrite (main/app-core.ts).
import { IpcRequestError, type IpcHandlers } from './handle.js';
import type { LocalStore } from '../db/client.js';
import { deleteForm, getForm, listForms, saveForm, setFormStatus } from '../repos/forms.js';
import { completionOverview } from '../repos/dashboard.js';
import { createKpi, deleteKpi, kpiOverview, kpiTrend, listKpis, updateKpi } from '../repos/kpis.js';
import {
  completionCounts,
  deleteSubmission,
  getSubmission,
  listSubmissions,
  restoreSubmission,
} from '../repos/submissions.js';
import { listStores, saveStore } from '../repos/stores.js';
import { deleteTeamMember, listTeam, saveTeamMember } from '../repos/team.js';
import {
  createFormFromTemplate,
  deleteTemplate,
  listTemplates,
  renameTemplate,
  saveFormAsTemplate,
} from '../repos/templates.js';
import { checkConnection, readAppConfig, readConnection, saveSyncIntervalMinutes } from '../sync/config.js';
import { fetchDeviceAnalytics } from '../sync/device-analytics.js';
import { revokeDeviceOnServer } from '../sync/device-revoke.js';
import { moveDeviceOnServer } from '../sync/device-scope.js';
import type { SyncEngine } from '../sync/engine.js';
import { ManagerRequestError } from '../sync/manager-request.js';

export interface HandlerDependencies {
  store: LocalStore;
  engine: SyncEngine;
  /** Where a failed background sync is reported (it shows in the sync panel anyway). */
  onSyncError?(error: unknown): void;
}

const done = { ok: true as const };

/** The first-run refusal of a store device's token (its role comes from checkConnection). */
export const storeTokenRefused =
  'This token belongs to a store device; the Store Manager needs a manager token (npm run device:add -- <id> --role manager).';

/**
 * The engine's bookkeeping calls throw plain Errors written for the user ("There is no pending
 * change 12"): pass their message on as is.
 */
async function asUserError(work: () => void | Promise<void>): Promise<typeof done> {
  try {
    await work();
  } catch (error) {
    throw new IpcRequestError(error instanceof Error ? error.message : String(error));
  }
  return done;
}

/** A request to the server as the manager: its failures are already in the manager's words. */
async function asManager<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw error instanceof ManagerRequestError ? new IpcRequestError(error.message) : error;
  }
}

export function createIpcHandlers(deps: HandlerDependencies): IpcHandlers {
  const { store, engine } = deps;

  /** A sync runs in the background: the reply does not wait for the network; status events report it. */
  const syncInBackground = (reason: string) => {
    try {
      void Promise.resolve(engine.syncNow(reason)).catch((error: unknown) => deps.onSyncError?.(error));
    } catch (error) {
      deps.onSyncError?.(error);
    }
  };

  return {
    'forms:list': () => listForms(store),
    'forms:get': ({ id }) => getForm(store, id),
    'forms:save': (draft) => saveForm(store, draft),
    'forms:set-status': ({ id, status }) => setFormStatus(store, id, status),
    'forms:delete': ({ id }) => {
      deleteForm(store, id);
      return done;
    },
    'forms:from-template': (request) => createFormFromTemplate(store, request),
    'forms:save-as-template': (request) => saveFormAsTemplate(store, request),
    'templates:list': () => listTemplates(store),
    'templates:rename': (request) => renameTemplate(store, request),
    'templates:delete': ({ id }) => {
      deleteTemplate(store, id);
      return done;
    },

    'submissions:list': (filter) => listSubmissions(store, filter),
    'submissions:get': ({ id }) => getSubmission(store, id),
    'submissions:completion-counts': (scope) => completionCounts(store, scope),
    'submissions:delete': ({ id }) => {
      deleteSubmission(store, id);
      return done;
    },
    'submissions:restore': ({ id }) => {
      restoreSubmission(store, id);
      return done;
    },

    'kpis:list': (filter) => listKpis(store, filter),
    'kpis:create': (input) => createKpi(store, input),
    'kpis:update': (input) => updateKpi(store, input),
    'kpis:overview': () => kpiOverview(store),
    'kpis:trend': (request) => kpiTrend(store, request),
    'dashboard:completion': (request) => completionOverview(store, request),
    'kpis:delete': ({ id }) => {
      deleteKpi(store, id);
      return done;
    },

    'team:list': () => listTeam(store),
    'team:save': (input) => saveTeamMember(store, input),
    'team:delete': ({ id }) => {
      deleteTeamMember(store, id);
      return done;
    },

    'stores:list': () => listStores(store),
    'stores:save': (input) => saveStore(store, input),

    'config:get': () => readAppConfig(store),
    'config:connect': async (input) => {
      // Nothing is saved unless the server accepts this device and token (first-run setup);
      // once saved, the engine starts a full sync by itself. The Store Manager is the manager's
      // app: a store device's token is accepted by the server, and would connect, but every form
      // the manager then published would be refused at push. So the role is checked first.
      const check = await checkConnection(input);
      if (check.ok && check.role !== 'manager') throw new IpcRequestError(storeTokenRefused);
      const result = await engine.connect(input);
      if (!result.ok) throw new IpcRequestError(result.error);
      return readAppConfig(store);
    },
    'config:set-interval': ({ sync_interval_minutes }) => {
      saveSyncIntervalMinutes(store, sync_interval_minutes);
      engine.scheduleInterval();
      return readAppConfig(store);
    },

    'sync:status': () => engine.status(),
    'sync:now': () => {
      syncInBackground('sync-now');
      return done;
    },
    'sync:pending': () => engine.listPendingChanges(),
    'sync:merges': () => engine.listRecentMerges(),
    'sync:discard-change': ({ id }) => asUserError(() => engine.discardChange(id)),
    // Read from the server each time, with this device's token: a network call, not the engine's.
    'sync:devices': ({ days }) => asManager(() => fetchDeviceAnalytics(readConnection(store), days)),
    'devices:revoke': ({ device_id }) => asManager(() => revokeDeviceOnServer(readConnection(store), device_id)),
    'devices:scope': ({ device_id, store: code }) =>
      asManager(() => moveDeviceOnServer(readConnection(store), device_id, code)),

    'conflicts:list': (request) => engine.listConflicts(request),
    // apply_other is a new edit: the engine tells the UI (data-changed) and syncs it
    // (seed: "after conflict resolution").
    'conflicts:resolve': ({ id, action, field }) => asUserError(() => engine.resolveConflict(id, action, field)),
  };
}
