// Bytes on the wire: pull pages of submissions and answers exactly as a device requests them and
// count the compressed bytes the server sends per row: rows as objects (as a seed client asks) with
// gzip at the server's default page of 1000 rows and at 5000, and brotli at 5000; and as the
// engine asks: pages of 10,000 with rows as arrays of values, brotli and gzip. Read with
// node:http so the bytes are the wire's, not the decompressed body fetch would hand back.
import { request } from 'node:http';
import { tablesReadableBy } from '../../shared/tables.js';
import { figure, targets } from '../harness/report.js';
import { makeForm, ROWS_PER_SUBMISSION, seedServerForm, seedServerSubmissions } from '../harness/seed.js';
import { startBenchServer } from '../harness/server.js';
import type { Workload } from '../harness/workload.js';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

type Encoding = 'gzip' | 'br';

interface PageBody {
  changes: Record<string, unknown[]>;
  cursor: string;
  has_more: boolean;
}

function pullRaw(
  url: string,
  token: string,
  body: unknown,
  encoding: Encoding,
): Promise<{ wireBytes: number; json: PageBody; plainBytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/sync/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-encoding': encoding },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const wire = Buffer.concat(chunks);
        if (res.statusCode !== 200) return reject(new Error(`pull answered ${res.statusCode}`));
        const sent = res.headers['content-encoding'];
        if (sent !== encoding) return reject(new Error(`asked for ${encoding}, the server sent ${sent ?? 'identity'}`));
        const plain = encoding === 'gzip' ? gunzipSync(wire) : brotliDecompressSync(wire);
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
      const runs: [number, Encoding, 'objects' | 'arrays'][] = [
        [1000, 'gzip', 'objects'],
        [5000, 'gzip', 'objects'],
        [5000, 'br', 'objects'],
        [10_000, 'br', 'arrays'],
        [10_000, 'gzip', 'arrays'],
      ];
      for (const [limit, encoding, format] of runs) {
        let cursor: string | null = null;
        let wire = 0;
        let plain = 0;
        let count = 0;
        for (;;) {
          const page = await pullRaw(
            server.url,
            token,
            {
              device_id: 'bench-wire',
              cursor,
              limit,
              tables: tablesReadableBy('store'),
              ...(format === 'arrays' ? { row_format: 'arrays' } : {}),
            },
            encoding,
          );
          wire += page.wireBytes;
          plain += page.plainBytes;
          count += Object.values(page.json.changes).reduce((n, list) => n + list.length, 0);
          cursor = page.json.cursor;
          if (!page.json.has_more) break;
        }
        const label = `pull page of ${limit}${format === 'arrays' ? ', rows as arrays' : ''}`;
        context.log(`${label}: ${count} rows, ${wire} bytes ${encoding}, ${plain} bytes of JSON`);
        figures.push(
          figure({
            workload: label,
            figure: `bytes per row on the wire (${encoding})`,
            value: wire / count,
            unit: 'B',
            raw: plain / count,
            rawLabel: 'JSON before compression',
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
