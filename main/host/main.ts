// `npm run web -- [--data <dir>] [--port <n>]`: the Store Manager through the web host, for a
// browser on this machine (loopback only). The data folder defaults to .data/manager, the one
// `npm start` uses; the port to 5180 (0 picks a free one).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultWebPort } from './web-host.js';
import { serveStoreManager } from './serve-store-manager.js';

const usage = 'usage: npm run web -- [--data <dir>] [--port <n>]';

async function main(): Promise<void> {
  let values: { data?: string; port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { data: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = values.port === undefined ? defaultWebPort : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number (0-65535), not ${JSON.stringify(values.port)}\n${usage}`);
    process.exit(2);
  }
  const dataDir = resolve(values.data ?? '.data/manager');
  const running = await serveStoreManager({ dataDir, port });
  console.log(`Store Manager data: ${dataDir}`);
  console.log(`Open the Store Manager at ${running.url}`);

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    void running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`The web host could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
