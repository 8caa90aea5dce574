// A manager moves a store device to another store from the app (IPC channel devices:scope):
// POST /api/v1/devices/:id/scope {store} with this Mac's own token, through the same request
// helper as revoking (manager-request.ts). The move itself lives on the server (the device's next
// pull brings the new store's rows and removes the old store's, invariant 12), so nothing is
// queued or retried: it happens now or the manager is told it did not, in words naming the way
// out (npm run device:scope on the server).
import { DeviceScopeResponse } from '../../shared/protocol/analytics.js';
import type { ConnectionConfig } from './config.js';
import {
  callServerAsManager,
  managerConnection,
  ManagerRequestError,
  type ManagerRequestOptions,
  type ManagerRequestWords,
} from './manager-request.js';

function wordsFor(target: string, store: string): ManagerRequestWords {
  const onServer = `npm run device:scope -- ${target} --store ${store}`;
  return {
    notConnected: 'This Mac is not connected to a sync server yet: set up the connection to move devices.',
    notManager: (self) =>
      `Only manager devices may move devices between stores: "${self}" is enrolled as a store device.`,
    unreachable: (server, networkError) =>
      `Cannot reach the sync server at ${server} (${networkError}): "${target}" was not moved. Try again when online, or run ${onServer} on the server.`,
    refused: (server, self, { status, reason, fromServer }) => {
      switch (status) {
        case 401:
          return `The server no longer accepts this device's token (${reason}): "${target}" was not moved. Connect again with a current token.`;
        case 403:
          return `The server says "${self}" is not a manager device (${reason}): only manager devices may move devices between stores.`;
        case 404:
          // A server from before store scopes answers "no route POST …": it cannot move devices.
          return !fromServer || reason.startsWith('no route')
            ? `The sync server at ${server} cannot move devices between stores yet: update the server.`
            : `No device "${target}" is enrolled on the server (${reason}): nothing was moved.`;
        case 400:
          return reason.includes('is a manager device')
            ? `"${target}" is a manager device: it sees every store and belongs to none, so it cannot be moved.`
            : `The server refused to move "${target}" to ${store}: ${reason}.`;
        default:
          return `The sync server at ${server} could not move "${target}" (HTTP ${status}: ${reason}). Try again in a moment.`;
      }
    },
    unexpected: (server, issue) =>
      `The sync server at ${server} answered the move with something unexpected (${issue}): check the device list before relying on it.`,
  };
}

export async function moveDeviceOnServer(
  connection: ConnectionConfig | null,
  target: string,
  store: string,
  options: ManagerRequestOptions = {},
): Promise<DeviceScopeResponse> {
  const words = wordsFor(target, store);
  const self = managerConnection(connection, words).device_id;
  // This Mac is a manager device: the server would refuse it too; said here without a request.
  if (target === self) {
    throw new ManagerRequestError(
      `"${self}" is this Mac, a manager device: it sees every store and belongs to none, so it cannot be moved.`,
    );
  }
  return callServerAsManager(
    connection,
    {
      method: 'POST',
      path: `/devices/${encodeURIComponent(target)}/scope`,
      body: { store },
      answer: DeviceScopeResponse,
      words,
    },
    options,
  );
}
