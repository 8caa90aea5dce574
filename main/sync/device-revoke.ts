// A manager revokes another device from the app's Devices screen (IPC channel devices:revoke):
// POST /api/v1/devices/:id/revoke with this Mac's own token, as main/sync/device-analytics.ts reads
// the analytics. Like it, nothing is queued or retried: a revocation is a security action that must
// happen now or be seen not to have happened, so every failure is said in the manager's words.
import { DeviceRevokeResponse } from '../../shared/protocol/analytics.js';
import type { ConnectionConfig } from './config.js';
import {
  callServerAsManager,
  managerConnection,
  ManagerRequestError,
  type ManagerRequestOptions,
  type ManagerRequestWords,
} from './manager-request.js';

function wordsFor(target: string): ManagerRequestWords {
  return {
    notConnected: 'This Mac is not connected to a sync server yet: set up the connection to revoke devices.',
    notManager: (self) => `Only manager devices may revoke devices: "${self}" is enrolled as a store device.`,
    unreachable: (server, networkError) =>
      `Cannot reach the sync server at ${server} (${networkError}): "${target}" was not revoked. Try again when online, or run npm run device:revoke -- ${target} on the server.`,
    refused: (server, self, { status, reason, fromServer }) => {
      switch (status) {
        case 401:
          return `The server no longer accepts this device's token (${reason}): "${target}" was not revoked. Connect again with a current token.`;
        case 403:
          return `The server says "${self}" is not a manager device (${reason}): only manager devices may revoke devices.`;
        case 404:
          // An older server answers "no route POST …": it has no revoke endpoint at all.
          return !fromServer || reason.startsWith('no route')
            ? `The sync server at ${server} cannot revoke devices from the app yet: update the server, or run npm run device:revoke -- ${target} on it.`
            : `No device "${target}" is enrolled on the server (${reason}): nothing was revoked.`;
        case 400:
          return `The server refused to revoke "${target}": ${reason}.`;
        default:
          return `The sync server at ${server} could not revoke "${target}" (HTTP ${status}: ${reason}). Try again in a moment.`;
      }
    },
    unexpected: (server, issue) =>
      `The sync server at ${server} answered the revocation with something unexpected (${issue}): check the device list before relying on it.`,
  };
}

export async function revokeDeviceOnServer(
  connection: ConnectionConfig | null,
  target: string,
  options: ManagerRequestOptions = {},
): Promise<DeviceRevokeResponse> {
  const words = wordsFor(target);
  const self = managerConnection(connection, words).device_id;
  // The server refuses it too; saying so here spares a request that would lock this Mac out.
  if (target === self) {
    throw new ManagerRequestError(
      `"${self}" is this Mac: it cannot revoke itself. Revoke it on the server (npm run device:revoke -- ${self}).`,
    );
  }
  return callServerAsManager(
    connection,
    { method: 'POST', path: `/devices/${encodeURIComponent(target)}/revoke`, answer: DeviceRevokeResponse, words },
    options,
  );
}
