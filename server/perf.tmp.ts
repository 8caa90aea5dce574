import { make, SyncClient } from './testing/sync-client.js';
import { startTestServer } from './testing/test-server.js';
const s = await startTestServer();
const c = new SyncClient(s.url, 'm', await s.enroll('m', 'manager'));
for (let b = 0; b < 2; b++) {
  const rows = Array.from({ length: 5000 }, (_, i) => make.kpi({ value: i }));
  let t = Date.now(); const r = await c.push({ kpi_data: rows }); console.log('push', r.status, Date.now() - t);
}
let t = Date.now(); const a = await c.pullAll(null, { limit: 5000 }); console.log('pull', a.rows.length, a.pages, Date.now() - t);
t = Date.now(); const p = await c.pull({ limit: 5000 }); console.log('one page', Date.now() - t);
await s.dispose();
