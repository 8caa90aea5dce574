// The manager's sync analytics (GET /api/v1/sync/devices) fetched with this device's own token,
// for the dashboard (IPC channel sync:devices). Unlike a sync, nothing is queued or retried: the
// figures live on the server, so without a connection there is nothing to show, and the reason is
// said in the manager's words (not connected, offline, not a manager, server too old or in trouble).
import { DeviceActivityResponse } from '../../shared/protocol/analytics.js';
import type { ConnectionConfig } from './config.js';
import { callServerAsManager, type ManagerRequestOptions, type ManagerRequestWords } from './manager-request.js';

const words: ManagerRequestWords = {
  notConnected: 'This Mac is not connected to a sync server yet: set up the connection to see the sync analytics.',
  notManager: (self) =>
    `The sync analytics are for manager devices: "${self}" is enrolled as a store device. Connect with a manager token (npm run device:add -- <id> --role manager).`,
  unreachable: (server, networkError) =>
    `Cannot reach the sync server at ${server} (${networkError}): the sync analytics need a connection. Everything else keeps working offline.`,
  refused: (server, self, { status, reason }) => {
    switch (status) {
      case 401:
        return `The server no longer accepts this device's token (${reason}). Connect again with a current token.`;
      case 403:
        return `The server says "${self}" is not a manager device (${reason}): the sync analytics are for manager devices.`;
      case 404:
        return `The sync server at ${server} does not offer sync analytics yet: update the server.`;
      default:
        return `The sync server at ${server} could not give the sync analytics (HTTP ${status}: ${reason}). Try again in a moment.`;
    }
  },
  unexpected: (server, issue) =>
    `The sync server at ${server} answered with something that is not the sync analytics (${issue}): is it the same version as this app?`,
};

export function fetchDeviceAnalytics(
  connection: ConnectionConfig | null,
  days: number,
  options: ManagerRequestOptions = {},
): Promise<DeviceActivityResponse> {
  return callServerAsManager(
    connection,
    {
      method: 'GET',
      path: `/sync/devices?days=${encodeURIComponent(days)}`,
      answer: DeviceActivityResponse,
      words,
    },
    options,
  );
}
