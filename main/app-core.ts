// The Store Manager's main-process core: the one object both hosts use. Electron (app/main.ts)
// wires it to ipcMain and the window; the web host (main/host) wires it to a WebSocket. It owns
// the local store (<dataDir>/insight.sqlite), the sync engine (logging to <dataDir>/sync.log) and
// the IPC door, and knows nothing of either host.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { IpcEvent, IpcEventPayload, IpcResult } from '../shared/ipc.js';
import type { TableName } from '../shared/tables.js';
import { openLocalStore, type LocalStore, type LocalStoreOptions } from './db/client.js';
import { onLocalWrite } from './db/outbox.js';
import { createIpcRouter } from './ipc/handle.js';
import { createIpcHandlers } from './ipc/handlers.js';
import { SyncEngine } from './sync/engine.js';
import { createSyncLogger } from './sync/log.js';

const storeFileName = 'insight.sqlite';
const syncLogFileName = 'sync.log';

export interface AppCoreOptions {
  /** Folder of this installation's data: the SQLite store, the sync log, the window state. */
  dataDir: string;
  /** Where the core's own messages go (default: the sync log file). */
  logger?: Logger;
  /**
   * Checks who sent a renderer request (Electron: the sender frame shows our app:// page).
   * Returns null to allow, or the reason for refusing. The web host checks origins at the door instead.
   */
  checkSender?: (sender: unknown) => string | null;
  /** Where the device token is kept (Electron: the Keychain-encrypted vault); default a mode-600 file. */
  tokenVault?: LocalStoreOptions['tokenVault'];
}

export interface AppCore {
  readonly dataDir: string;
  readonly store: LocalStore;
  /** Runs one renderer request through the IPC door; always resolves to `{ok, value}|{ok:false, error}`. */
  invoke(channel: unknown, payload: unknown, sender?: unknown): Promise<IpcResult<unknown>>;
  /** A request the host makes itself (menu items), without a sender check. */
  invokeFromHost: (channel: unknown, payload: unknown) => Promise<IpcResult<unknown>>;
  /** Events for the renderer: sync:status and data:changed. Returns the unsubscribe function. */
  on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
  /** Starts the sync engine (full sync at start-up, background pulls, retries). */
  start(): Promise<void>;
  /** Stops the engine, waits for a running sync to settle, and closes the store. */
  stop(): Promise<void>;
}

/**
 * A sync caught mid-run finishes its current request and then stops; the store must stay open
 * until then, or its last page would fail to apply (and be pulled again next time).
 */
async function runningSyncSettled(stopped: Promise<void>, limitMs = 15_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
  await Promise.race([stopped, limit]);
  clearTimeout(timer);
}

export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  const logger = options.logger ?? createSyncLogger(join(dataDir, syncLogFileName), { app: 'store-manager' });

  const store = openLocalStore(join(dataDir, storeFileName), { tokenVault: options.tokenVault });
  const engine = new SyncEngine({ store, logger, live: true });
  const events = new EventEmitter();
  // Every open page subscribes; more than the default 10 listeners is normal, not a leak.
  events.setMaxListeners(0);
  const emit = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => events.emit(event, payload);
  const dataChanged = (tables: TableName[]) => {
    if (tables.length > 0) emit('data:changed', { tables: [...new Set(tables)] });
  };

  engine.on('status', (status) => emit('sync:status', status));
  engine.on('data-changed', (tables) => dataChanged(tables));
  let started = false;
  let stopped = false;
  // Local writes (forms saved, KPIs entered) reach the UI the same way as pulled rows. A started
  // engine hears them itself (it pushes them and reports the new pending count); before start,
  // it is told here so the sync panel's count still follows the write.
  const stopListening = onLocalWrite(store, (tables) => {
    dataChanged(tables);
    if (!started) engine.notifyLocalWrite();
  });

  const router = createIpcRouter<unknown>(
    createIpcHandlers({
      store,
      engine,
      onSyncError: (err) => logger.warn({ err }, 'sync requested from the UI failed'),
    }),
    { checkSender: options.checkSender, logger },
  );

  return {
    dataDir,
    store,
    invoke: (channel, payload, sender) => router.invoke(channel, payload, sender),
    invokeFromHost: (channel, payload) => router.invokeFromHost(channel, payload),
    on(event, listener) {
      events.on(event, listener as (payload: unknown) => void);
      return () => events.off(event, listener as (payload: unknown) => void);
    },
    async start() {
      if (started || stopped) return;
      started = true;
      await engine.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      stopListening();
      await runningSyncSettled(engine.stop());
      store.close();
    },
  };
}
