// A manager revokes another device from the app's Devices screen (IPC channel devices:revoke):
// POST /api/v1/devices/:id/revoke with this Mac's own token, as main/sync/device-analytics.ts reads
// the analytics. Like it, nothing is queued or retried: a revocation is a security action that must
// happen now or be seen not to have happened, so every failure is said in the manager's words.
import { DeviceRevokeResponse } from '../../shared/protocol/analytics.js';
import { API_PREFIX, ErrorResponse } from '../../shared/protocol/sync.js';
import type { ConnectionConfig } from './config.js';
import { DeviceAnalyticsError, type DeviceAnalyticsOptions } from './device-analytics.js';
import { describeNetworkError, normaliseServerUrl } from './http.js';

export async function revokeDeviceOnServer(
  connection: ConnectionConfig | null,
  target: string,
  options: DeviceAnalyticsOptions = {},
): Promise<DeviceRevokeResponse> {
  if (!connection) {
    throw new DeviceAnalyticsError(
      'This Mac is not connected to a sync server yet: set up the connection to revoke devices.',
    );
  }
  const { server_url: server, device_id: self } = connection;
  if (connection.role !== 'manager') {
    throw new DeviceAnalyticsError(`Only manager devices may revoke devices: "${self}" is enrolled as a store device.`);
  }
  // The server refuses it too; saying so here spares a request that would lock this Mac out.
  if (target === self) {
    throw new DeviceAnalyticsError(
      `"${self}" is this Mac: it cannot revoke itself. Revoke it on the server (npm run device:revoke -- ${self}).`,
    );
  }
  const url = `${normaliseServerUrl(server)}${API_PREFIX}/devices/${encodeURIComponent(target)}/revoke`;
  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, {
      method: 'POST',
      headers: { Accept: 'application/json', Authorization: `Bearer ${connection.token}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    text = await response.text();
  } catch (error) {
    throw new DeviceAnalyticsError(
      `Cannot reach the sync server at ${server} (${describeNetworkError(error)}): "${target}" was not revoked. Try again when online, or run npm run device:revoke -- ${target} on the server.`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const refusal = ErrorResponse.safeParse(body);
    const reason = refusal.success ? refusal.data.error : `HTTP ${response.status}`;
    switch (response.status) {
      case 401:
        throw new DeviceAnalyticsError(
          `The server no longer accepts this device's token (${reason}): "${target}" was not revoked. Connect again with a current token.`,
        );
      case 403:
        throw new DeviceAnalyticsError(
          `The server says "${self}" is not a manager device (${reason}): only manager devices may revoke devices.`,
        );
      case 404:
        throw new DeviceAnalyticsError(
          // An older server answers "no route POST …": it has no revoke endpoint at all.
          !refusal.success || reason.startsWith('no route')
            ? `The sync server at ${server} cannot revoke devices from the app yet: update the server, or run npm run device:revoke -- ${target} on it.`
            : `No device "${target}" is enrolled on the server (${reason}): nothing was revoked.`,
        );
      case 400:
        throw new DeviceAnalyticsError(`The server refused to revoke "${target}": ${reason}.`);
      default:
        throw new DeviceAnalyticsError(
          `The sync server at ${server} could not revoke "${target}" (HTTP ${response.status}: ${reason}). Try again in a moment.`,
        );
    }
  }
  const answer = DeviceRevokeResponse.safeParse(body);
  if (!answer.success) {
    throw new DeviceAnalyticsError(
      `The sync server at ${server} answered the revocation with something unexpected (${answer.error.issues[0]?.message ?? 'unreadable'}): check the device list before relying on it.`,
    );
  }
  return answer.data;
}
