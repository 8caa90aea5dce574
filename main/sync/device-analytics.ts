// The manager's sync analytics (GET /api/v1/sync/devices) fetched with this device's own token,
// for the dashboard (IPC channel sync:devices). Unlike a sync, nothing is queued or retried: the
// figures live on the server, so without a connection there is nothing to show, and the reason is
// said in the manager's words (not connected, offline, not a manager, server too old or in trouble).
import { DeviceActivityResponse } from '../../shared/protocol/analytics.js';
import { API_PREFIX, ErrorResponse } from '../../shared/protocol/sync.js';
import type { ConnectionConfig } from './config.js';
import { describeNetworkError, normaliseServerUrl } from './http.js';

/** A failure whose message is written for the manager. */
export class DeviceAnalyticsError extends Error {
  override name = 'DeviceAnalyticsError';
}

export interface DeviceAnalyticsOptions {
  /** Injected by tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export async function fetchDeviceAnalytics(
  connection: ConnectionConfig | null,
  days: number,
  options: DeviceAnalyticsOptions = {},
): Promise<DeviceActivityResponse> {
  if (!connection) {
    throw new DeviceAnalyticsError(
      'This Mac is not connected to a sync server yet: set up the connection to see the sync analytics.',
    );
  }
  const { server_url: server, device_id: device } = connection;
  if (connection.role !== 'manager') {
    throw new DeviceAnalyticsError(
      `The sync analytics are for manager devices: "${device}" is enrolled as a store device. Connect with a manager token (npm run device:add -- <id> --role manager).`,
    );
  }
  const url = `${normaliseServerUrl(server)}${API_PREFIX}/sync/devices?days=${encodeURIComponent(days)}`;
  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, {
      headers: { Accept: 'application/json', 'Accept-Encoding': 'gzip', Authorization: `Bearer ${connection.token}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    text = await response.text();
  } catch (error) {
    throw new DeviceAnalyticsError(
      `Cannot reach the sync server at ${server} (${describeNetworkError(error)}): the sync analytics need a connection. Everything else keeps working offline.`,
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
    if (response.status === 401) {
      throw new DeviceAnalyticsError(
        `The server no longer accepts this device's token (${reason}). Connect again with a current token.`,
      );
    }
    if (response.status === 403) {
      throw new DeviceAnalyticsError(
        `The server says "${device}" is not a manager device (${reason}): the sync analytics are for manager devices.`,
      );
    }
    if (response.status === 404) {
      throw new DeviceAnalyticsError(
        `The sync server at ${server} does not offer sync analytics yet: update the server.`,
      );
    }
    throw new DeviceAnalyticsError(
      `The sync server at ${server} could not give the sync analytics (HTTP ${response.status}: ${reason}). Try again in a moment.`,
    );
  }
  const analytics = DeviceActivityResponse.safeParse(body);
  if (!analytics.success) {
    throw new DeviceAnalyticsError(
      `The sync server at ${server} answered with something that is not the sync analytics (${analytics.error.issues[0]?.message ?? 'unreadable'}): is it the same version as this app?`,
    );
  }
  return analytics.data;
}
