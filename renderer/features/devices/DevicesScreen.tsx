// Devices (manager only): every device enrolled on the server with its role, its store, last sync,
// pulls and pushes per day, conflicts, failures and refused changes (the sync analytics, fetched
// from the server), a Revoke action for a lost phone and "Move to store…" for a store device.
// Revoking ends the device's token on the server at once, so it is confirmed first and never
// offered for this Mac itself (it would lock the manager out). Moving changes the store whose rows
// the phone holds (MoveDeviceDialog). Loaded on demand like KPIs: its chart is recharts.
import { useQuery } from '@tanstack/react-query';
import { ArrowRightLeft, Ban, ShieldOff } from 'lucide-react';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { DeviceActivity } from '../../../shared/protocol/analytics.js';
import { useInsight } from '../../api/context.js';
import { useRevokeDevice } from '../../api/mutations.js';
import { configQuery } from '../../api/queries.js';
import { syncDevicesQuery } from '../../api/sync-analytics.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import { useToast } from '../../components/Toasts.js';
import { ago } from '../sync/describe-status.js';
import { ActivityChart } from './ActivityChart.js';
import { MoveDeviceDialog, type MovableDevice } from './MoveDeviceDialog.js';

const DAYS = 7;
const roleLabel = { manager: 'Manager', store: 'Store' } as const;

/** A manager sees every store; a store device enrolled before scopes has none (and sees them all). */
const storeOf = (device: DeviceActivity) =>
  device.role === 'manager' ? 'All stores' : (device.store_id ?? 'None (sees all)');

const lastSync = (device: DeviceActivity, now: number) =>
  device.last_sync_at ? ago(device.last_sync_at, now) : 'Never';

export const DevicesScreen = () => {
  const api = useInsight();
  // Fetched afresh on opening: the manager acts on this list (revoke, move), so it shows what the
  // server holds now, not Home's sync card answer of half a minute ago (a device enrolled since).
  const devices = useQuery({ ...syncDevicesQuery(api, DAYS), refetchOnMount: 'always' });
  const self = useQuery(configQuery(api)).data?.device_id ?? null;
  const revoke = useRevokeDevice();
  const toast = useToast();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [moving, setMoving] = useState<MovableDevice | null>(null);
  // "2 min ago" as of the answer (a minute's poll keeps it current), not of each render.
  const now = devices.dataUpdatedAt;

  const confirmRevoke = (id: string) => {
    setConfirming(null);
    revoke.mutate(
      { device_id: id },
      {
        onSuccess: (answer) =>
          toast.show({
            text: answer.already_revoked ? `${id} was already revoked.` : `${id} revoked: it is signed out.`,
          }),
      },
    );
  };

  return (
    <div className="screen">
      <header className="screen__header">
        <h1>Devices</h1>
        <p className="muted">Sync activity over the last {DAYS} days</p>
      </header>
      <QueryState query={devices} loading="Loading the devices…" failure="Could not load the devices" />
      {devices.data && devices.data.devices.length === 0 && <p>No devices are enrolled on the server yet.</p>}
      {devices.data && devices.data.devices.length > 0 && (
        <DataTable
          label="Devices"
          columns={['Device', 'Role', 'Store', 'Last sync', 'Pulls and pushes', 'Conflicts', 'Failures', 'Refused']}
          actions
        >
          {devices.data.devices.map((device) => {
            const id = device.device_id;
            const revoked = device.revoked_at !== null;
            return (
              <tr key={id} className={revoked ? 'inactive' : undefined} data-revoked={revoked || undefined}>
                <th scope="row">
                  <span className="font-mono">{id}</span>
                  {id === self && (
                    <>
                      {' '}
                      <span className="badge">This Mac</span>
                    </>
                  )}
                </th>
                <td>{roleLabel[device.role]}</td>
                <td className="whitespace-nowrap">{storeOf(device)}</td>
                <td>
                  {revoked ? (
                    <span className="inline-flex items-center gap-1 text-[var(--danger)]">
                      <Ban size={12} aria-hidden="true" />
                      Revoked {ago(device.revoked_at!, now)}
                    </span>
                  ) : (
                    lastSync(device, now)
                  )}
                </td>
                <td>
                  <ActivityChart days={device.days} />
                </td>
                <td>{device.totals.conflicts.toLocaleString()}</td>
                <td>{device.totals.failures.toLocaleString()}</td>
                <td>{device.totals.refused.toLocaleString()}</td>
                <td className="whitespace-nowrap">
                  {!revoked && device.role === 'store' && (
                    <Button
                      className="button button--small"
                      aria-label={`Move ${id} to another store`}
                      onPress={() => setMoving({ device_id: id, store_id: device.store_id })}
                    >
                      <ArrowRightLeft size={14} aria-hidden="true" /> Move to store…
                    </Button>
                  )}{' '}
                  {!revoked && id !== self && (
                    <Button
                      className="button button--small button--danger"
                      aria-label={`Revoke ${id}`}
                      isDisabled={revoke.isPending}
                      onPress={() => setConfirming(id)}
                    >
                      <ShieldOff size={14} aria-hidden="true" /> Revoke
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      {revoke.isError && <p role="alert">Could not revoke the device: {revoke.error.message}</p>}
      <ConfirmDialog
        isOpen={confirming !== null}
        title={`Revoke ${confirming ?? ''}?`}
        message={`${confirming ?? ''} will be signed out at once: its next sync is refused and its live connection closed. Changes it has not sent yet stay on it. To use it again it needs a new token: npm run device:add -- ${confirming ?? '<id>'} --force on the server.`}
        confirmLabel="Revoke"
        onConfirm={() => confirming && confirmRevoke(confirming)}
        onCancel={() => setConfirming(null)}
      />
      <MoveDeviceDialog device={moving} onClose={() => setMoving(null)} />
    </div>
  );
};

export default DevicesScreen;
