// Bytes on the wire: pull pages of submissions and answers exactly as a device requests them
// (gzip accepted) and count the compressed bytes the server sends per row, at the default page of
// 1000 rows and at the largest, 5000. Read with node:http so the bytes are the wire's, not the
// decompressed body fetch would hand back.
import { request } from 'node:http';
import { tablesReadableBy } from '../../shared/tables.js';
import { figure, targets } from '../harness/report.js';
import { makeForm, ROWS_PER_SUBMISSION, seedServerForm, seedServerSubmissions } from '../harness/seed.js';
import { startBenchServer } from '../harness/server.js';
import type { Workload } from '../harness/workload.js';
import { gunzipSync } from 'node:zlib';

interface PageBody {
  changes: Record<string, unknown[]>;
  cursor: string;
  has_more: boolean;
}

function pullRaw(
  url: string,
  token: string,
  body: unknown,
): Promise<{ wireBytes: number; json: PageBody; plainBytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/sync/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const wire = Buffer.concat(chunks);
        if (res.statusCode !== 200) return reject(new Error(`pull answered ${res.statusCode}`));
        const plain = res.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
        resolve({
          wireBytes: wire.length,
          plainBytes: plain.length,
          json: JSON.parse(plain.toString('utf8')) as PageBody,
        });
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const workload: Workload = {
  name: 'wire bytes',
  async run(context) {
    const rows = context.quick ? 5_000 : 20_000;
    const server = await startBenchServer('wire');
    try {
      const form = makeForm();
      await seedServerForm(server.pool, form);
      await seedServerSubmissions(server.pool, form, rows / ROWS_PER_SUBMISSION);
      const token = await server.enroll('bench-wire', 'store');
      const figures = [];
      for (const limit of [1000, 5000]) {
        let cursor: string | null = null;
        let wire = 0;
        let plain = 0;
        let count = 0;
        for (;;) {
          const page = await pullRaw(server.url, token, {
            device_id: 'bench-wire',
            cursor,
            limit,
            tables: tablesReadableBy('store'),
          });
          wire += page.wireBytes;
          plain += page.plainBytes;
          count += Object.values(page.json.changes).reduce((n, list) => n + list.length, 0);
          cursor = page.json.cursor;
          if (!page.json.has_more) break;
        }
        context.log(`page ${limit}: ${count} rows, ${wire} bytes gzipped, ${plain} bytes of JSON`);
        figures.push(
          figure({
            workload: `pull page of ${limit}`,
            figure: 'bytes per row on the wire (gzip)',
            value: wire / count,
            unit: 'B',
            raw: plain / count,
            rawLabel: 'JSON before gzip',
            target: targets.atMost(50, 'B'),
          }),
        );
      }
      return figures;
    } finally {
      await server.dispose();
    }
  },
};
export default workload;
