// The web host as the e2e fixtures start it: the same serveStoreManager() that `npm run web`
// (main/host/main.ts) runs, but serving the renderer bundle e2e/global-setup.ts built for this
// run (dist/e2e-renderer). Others working in the same tree rebuild dist/renderer at any moment
// (vite empties it first), which must not pull the page out from under a running test.
import { parseArgs } from 'node:util';
import { serveStoreManager } from '../../main/host/serve-store-manager.js';

const { values } = parseArgs({
  options: { data: { type: 'string' }, renderer: { type: 'string' }, port: { type: 'string', default: '0' } },
});
if (!values.data || !values.renderer || !/^\d+$/.test(values.port)) {
  console.error('usage: web-host-process.ts --data <dir> --renderer <dir> [--port <n>, default 0: a free one]');
  process.exit(2);
}
// --port: a restarted host (a test of the page's reconnecting overlay) comes back at the same address.
const running = await serveStoreManager({
  dataDir: values.data,
  rendererDir: values.renderer,
  port: Number(values.port),
});
console.log(`Open the Store Manager at ${running.url}`);

const shutdown = () =>
  void running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// The fixture holds our stdin open; when the test runner goes away, so do we.
process.stdin.on('end', shutdown);
process.stdin.resume();
