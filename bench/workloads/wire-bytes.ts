// Bytes on the wire: pull pages of submissions and answers exactly as a device requests them and
// count the compressed bytes the server sends per row: gzip at the server's default page of 1000
// rows and at the largest, 5000, and brotli (what the engine asks for first) at 5000. Read with
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
      const runs: [number, Encoding][] = [
        [1000, 'gzip'],
        [5000, 'gzip'],
        [5000, 'br'],
      ];
      for (const [limit, encoding] of runs) {
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
            },
            encoding,
          );
          wire += page.wireBytes;
          plain += page.plainBytes;
          count += Object.values(page.json.changes).reduce((n, list) => n + list.length, 0);
          cursor = page.json.cursor;
          if (!page.json.has_more) break;
        }
        context.log(`page ${limit}: ${count} rows, ${wire} bytes ${encoding}, ${plain} bytes of JSON`);
        figures.push(
          figure({
            workload: `pull page of ${limit}`,
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
