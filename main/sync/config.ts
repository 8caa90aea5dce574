// The device's connection config, kept in sync_metadata (keys in metadata.ts): server URL,
// device id, role and the background pull interval; the token is kept by the store's TokenVault
// (main/db/token-vault.ts), never in the SQLite file. `checkConnection` is the first-run
// check: it tells an unreachable or wrong server apart from a wrong token, in the user's words.
import { Role, tableRegistry, tablesReadableBy, type TableName } from '../../shared/tables.js';
import { SYNC_INTERVAL_MINUTES, SyncIntervalMinutes, type AppConfig } from '../../shared/ipc.js';
import type { LocalStore } from '../db/client.js';
import { SyncClient, SyncHttpError, normaliseServerUrl } from './http.js';
import { metadataKeys, readMetadata, writeMetadata } from './metadata.js';
import { allowInsecureFromEnv, certificateAdvice, refuseInsecureHttp } from './transport-security.js';

export interface ConnectionConfig {
  server_url: string;
  device_id: string;
  token: string;
  role: Role;
}

/** The full config, or null while the device is not set up (state `not_configured`). */
export function readConnection(store: LocalStore): ConnectionConfig | null {
  const server_url = readMetadata(store, metadataKeys.serverUrl);
  const device_id = readMetadata(store, metadataKeys.deviceId);
  const token = store.tokenVault.read();
  const role = Role.safeParse(readMetadata(store, metadataKeys.role));
  if (!server_url || !device_id || !token || !role.success) return null;
  return { server_url, device_id, token, role: role.data };
}

export function saveConnection(store: LocalStore, config: ConnectionConfig): void {
  store.sqlite.transaction(() => {
    const previous = readConnection(store);
    // Another server or device identity means another history: start the pull over from scratch.
    if (
      previous &&
      (previous.server_url !== normaliseServerUrl(config.server_url) || previous.device_id !== config.device_id)
    ) {
      store.sqlite
        .prepare("DELETE FROM sync_metadata WHERE key LIKE 'cursor:%' OR key IN (?, ?)")
        .run(metadataKeys.lastPullTimestamp, metadataKeys.pushCursorCeiling);
    }
    writeMetadata(store, metadataKeys.serverUrl, normaliseServerUrl(config.server_url));
    writeMetadata(store, metadataKeys.deviceId, config.device_id);
    writeMetadata(store, metadataKeys.role, config.role);
    // Last: should the vault refuse (no keystore), the transaction rolls the rest back.
    store.tokenVault.write(config.token);
  })();
}

export function readSyncIntervalMinutes(store: LocalStore): number {
  const value = SyncIntervalMinutes.safeParse(Number(readMetadata(store, metadataKeys.syncIntervalMinutes)));
  return value.success ? value.data : SYNC_INTERVAL_MINUTES.default;
}

export function saveSyncIntervalMinutes(store: LocalStore, minutes: number): void {
  if (!SyncIntervalMinutes.safeParse(minutes).success) {
    const { min, max } = SYNC_INTERVAL_MINUTES;
    throw new Error(`The sync interval must be a whole number of minutes between ${min} and ${max}`);
  }
  writeMetadata(store, metadataKeys.syncIntervalMinutes, String(minutes));
}

/** The app's view of its config (shared/ipc.ts AppConfig): never the token itself. */
export function readAppConfig(store: LocalStore): AppConfig {
  const role = Role.safeParse(readMetadata(store, metadataKeys.role));
  return {
    server_url: readMetadata(store, metadataKeys.serverUrl),
    device_id: readMetadata(store, metadataKeys.deviceId),
    has_token: store.tokenVault.read() !== null,
    role: role.success ? role.data : null,
    sync_interval_minutes: readSyncIntervalMinutes(store),
  };
}

export type ConnectionCheck = { ok: true; role: Role } | { ok: false; error: string };

// A table only managers pull: whether the server lets this device pull it tells the role.
const managerOnlyTable = (Object.keys(tableRegistry) as TableName[]).find(
  (table) => !tablesReadableBy('store').includes(table),
);

/**
 * Checks a server URL, device id and token before anything is saved:
 * 1. the status endpoint answers like an Insight sync server (else: wrong address / unreachable);
 * 2. an authenticated one-row pull is accepted (401: unknown token; 403: token of another device);
 * 3. the role: a pull of a manager-only table succeeds only for a manager.
 * Before any of it, plain http:// beyond the local network is refused unless `allowInsecure`
 * (default: INSIGHT_ALLOW_INSECURE_HTTP=1), so the token never crosses the internet in clear.
 */
export async function checkConnection(
  input: { server_url: string; device_id: string; token: string },
  options: { fetch?: typeof fetch; timeoutMs?: number; allowInsecure?: boolean } = {},
): Promise<ConnectionCheck> {
  let url: URL;
  try {
    url = new URL(input.server_url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    return { ok: false, error: `"${input.server_url}" is not a server address; enter one like http://nas.local:8000` };
  }
  const insecure = await refuseInsecureHttp(url, options.allowInsecure ?? allowInsecureFromEnv());
  if (insecure) return { ok: false, error: insecure };
  const client = new SyncClient({
    serverUrl: input.server_url,
    deviceId: input.device_id,
    token: input.token,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  try {
    await client.status();
  } catch (error) {
    if (error instanceof SyncHttpError && error.kind === 'network') {
      const advice = certificateAdvice(error.message);
      if (advice) return { ok: false, error: `Cannot connect securely to ${input.server_url}. ${advice}` };
      return {
        ok: false,
        error: `Cannot reach a server at ${input.server_url}. Check the address and that the server is running. (${error.message.split(': ').slice(1).join(': ')})`,
      };
    }
    // 5xx (or 408/429): something is there but in trouble (its database down, a NAS proxy whose
    // backend is starting). The address may well be right; calling it wrong would mislead.
    if (isServerTrouble(error)) return { ok: false, error: serverTrouble(input.server_url, error) };
    return {
      ok: false,
      error: `${input.server_url} answered, but it is not an Insight sync server. Check the address.`,
    };
  }
  try {
    await client.pull({ tables: ['forms'], limit: 1 });
  } catch (error) {
    if (error instanceof SyncHttpError && error.kind === 'auth') {
      return {
        ok: false,
        error: 'The server does not accept this device token. Check the token (npm run device:add prints it).',
      };
    }
    if (error instanceof SyncHttpError && error.status === 403) {
      return {
        ok: false,
        error: `This token does not belong to device "${input.device_id}". Check the device id and token. (${error.message})`,
      };
    }
    if (isServerTrouble(error)) return { ok: false, error: serverTrouble(input.server_url, error) };
    return {
      ok: false,
      error: `The server refused the connection check: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (!managerOnlyTable) return { ok: true, role: 'manager' };
  try {
    await client.pull({ tables: [managerOnlyTable], limit: 1 });
    return { ok: true, role: 'manager' };
  } catch (error) {
    if (error instanceof SyncHttpError && error.status === 403) return { ok: true, role: 'store' };
    if (isServerTrouble(error)) return { ok: false, error: serverTrouble(input.server_url, error) };
    return {
      ok: false,
      error: `The server refused the connection check: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

const isServerTrouble = (error: unknown): error is SyncHttpError =>
  error instanceof SyncHttpError && error.kind === 'server' && error.status !== null && error.status >= 300;

const serverTrouble = (serverUrl: string, error: SyncHttpError): string =>
  `The server at ${serverUrl} answered with an error (HTTP ${error.status}: ${error.message}). It may be starting up or its database may be unavailable; try again in a moment.`;
