// The Store Manager in a browser: the app core on a data folder plus the web host in front of
// it. Used by `npm run web` (main/host/main.ts) and `npm start` (scripts/start.ts).
import { createAppCore, type AppCore } from '../app-core.js';
import { startWebHost, type WebHost } from './web-host.js';

export interface StoreManagerOnWeb {
  core: AppCore;
  host: WebHost;
  url: string;
  /** Stops the web host first (no new requests), then the engine and the store. */
  close(): Promise<void>;
}

export async function serveStoreManager(options: {
  dataDir: string;
  port?: number;
  rendererDir?: string;
  /** Set false to keep the engine idle (tests that drive sync themselves). Default true. */
  startSync?: boolean;
}): Promise<StoreManagerOnWeb> {
  const core = await createAppCore({ dataDir: options.dataDir });
  let host: WebHost;
  try {
    host = await startWebHost({ core, port: options.port, rendererDir: options.rendererDir });
  } catch (error) {
    await core.stop();
    throw error;
  }
  if (options.startSync !== false) await core.start();
  return {
    core,
    host,
    url: host.url,
    async close() {
      await host.close();
      await core.stop();
    },
  };
}
