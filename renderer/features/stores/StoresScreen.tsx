// Stores (manager): every store with its region, whether it is active, the devices that work for
// it and their last sync (from the sync analytics, fetched from the server), and the forms to add
// and edit a store. A store is deactivated, never deleted: rows keep naming its code, and the
// store pickers on every device stop offering it; deactivating asks first, since it syncs. A
// store's device opens the dialog that moves it to another store (as on the Devices screen).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { RowOf } from '../../../shared/tables.js';
import { useInsight } from '../../api/context.js';
import { useSaveStore } from '../../api/mutations.js';
import { storesQuery } from '../../api/queries.js';
import { syncDevicesQuery } from '../../api/sync-analytics.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import { MoveDeviceDialog, type MovableDevice } from '../devices/MoveDeviceDialog.js';
import { ago } from '../sync/describe-status.js';
import { devicesOfStore, lastSyncOf } from './store-devices.js';
import { StoreForm } from './StoreForm.js';

type Store = RowOf<'stores'>;

export const StoresScreen = () => {
  const api = useInsight();
  const stores = useQuery(storesQuery(api));
  const devices = useQuery(syncDevicesQuery(api));
  const save = useSaveStore();
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deactivating, setDeactivating] = useState<Store | null>(null);
  const [moving, setMoving] = useState<MovableDevice | null>(null);
  const list = (stores.data ?? []).filter((s) => !s.deleted_at);
  const editing = list.find((s) => s.id === editingId) ?? null;
  // "2 min ago" as of the analytics' answer (a minute's poll keeps it current), not of each render.
  const now = devices.dataUpdatedAt;

  const setActive = (store: Store, active: boolean) =>
    save.mutate({ id: store.id, code: store.code, name: store.name, region: store.region, active });

  return (
    <div className="screen">
      <header className="screen__header">
        <h1>Stores</h1>
        <p className="muted">Rows name their store by its code; every store picker lists the active stores.</p>
      </header>
      <StoreForm key={editingId ?? 'new'} store={editing} onDone={() => setEditingId(null)} />
      <QueryState query={stores} loading="Loading the stores…" failure="Could not load the stores" />
      {stores.data && list.length === 0 && (
        <p>No stores yet. Add the first one above: its code (e.g. S001) is what submissions, KPIs and the team name.</p>
      )}
      {devices.isError && (
        <p className="muted" role="status">
          Devices and last sync are unavailable: {devices.error.message}
        </p>
      )}
      {list.length > 0 && (
        <DataTable label="Stores" columns={['Code', 'Name', 'Region', 'Status', 'Devices', 'Last sync']} actions>
          {list.map((store) => {
            const working = devicesOfStore(devices.data?.devices ?? [], store.code);
            const lastSync = lastSyncOf(working);
            return (
              <tr key={store.id} className={store.active ? undefined : 'inactive'}>
                <th scope="row">
                  <span className="font-mono">{store.code}</span>
                </th>
                <td>{store.name}</td>
                <td>{store.region ?? '—'}</td>
                <td>{store.active ? 'Active' : 'Inactive'}</td>
                <td>
                  {!devices.data
                    ? '—'
                    : working.length === 0
                      ? 'None'
                      : working.map((d) =>
                          // A device still signed in can be moved to another store from here.
                          d.revoked_at ? (
                            <span key={d.device_id} className="badge font-mono">
                              {d.device_id}
                            </span>
                          ) : (
                            <Button
                              key={d.device_id}
                              className="badge badge--action font-mono"
                              aria-label={`Move ${d.device_id} to another store`}
                              onPress={() => setMoving({ device_id: d.device_id, store_id: d.store_id })}
                            >
                              {d.device_id}
                            </Button>
                          ),
                        )}
                </td>
                <td>{!devices.data ? '—' : lastSync ? ago(lastSync, now) : 'Never'}</td>
                <td>
                  <div className="actions actions--small">
                    <Button
                      className="button button--small"
                      aria-label={`Edit ${store.code}`}
                      onPress={() => setEditingId(store.id)}
                    >
                      Edit
                    </Button>
                    <Button
                      className={store.active ? 'button button--small button--danger' : 'button button--small'}
                      aria-label={`${store.active ? 'Deactivate' : 'Reactivate'} ${store.code}`}
                      isDisabled={save.isPending}
                      onPress={() => (store.active ? setDeactivating(store) : setActive(store, true))}
                    >
                      {store.active ? 'Deactivate' : 'Reactivate'}
                    </Button>
                  </div>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      {save.isError && <p role="alert">Could not change the store: {save.error.message}</p>}
      <ConfirmDialog
        isOpen={deactivating !== null}
        title={`Deactivate ${deactivating?.code ?? ''} ${deactivating?.name ?? ''}?`}
        message={`Every device stops offering ${deactivating?.code ?? 'it'} in its store pickers once it syncs. Submissions, KPIs and team members that name it keep it, and you can reactivate it at any time.`}
        confirmLabel="Deactivate"
        onConfirm={() => {
          if (deactivating) setActive(deactivating, false);
          setDeactivating(null);
        }}
        onCancel={() => setDeactivating(null)}
      />
      <MoveDeviceDialog device={moving} onClose={() => setMoving(null)} />
    </div>
  );
};

export default StoresScreen;
