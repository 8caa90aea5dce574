// Serves answers recorded by record.ts, as they were recorded (compressed, same headers), to the
// request with the same path and cursor; prints its port. Plain Node, so that it costs the device
// under test nothing and starts at once. `node bench/replay/serve.mjs folder`
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const folder = process.argv[2];
const index = JSON.parse(readFileSync(join(folder, 'index.json'), 'utf8'));
const answers = new Map(index.map((entry) => [entry.key, { ...entry, body: readFileSync(join(folder, entry.file)) }]));
/** Hop-by-hop headers of the recorded answer, which this connection sets itself. */
const hopByHop = ['transfer-encoding', 'connection', 'keep-alive', 'content-length'];

const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
    const cursor = body.length > 0 ? (JSON.parse(body.toString()).cursor ?? '') : '';
    const answer = answers.get(`${new URL(req.url, 'http://replay').pathname}|${cursor}`);
    if (!answer) {
      console.error(`serve.mjs: nothing recorded for ${req.url} at cursor ${cursor}`);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"success":false,"error":"not recorded"}');
      return;
    }
    const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !hopByHop.includes(name)));
    res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) }).end(answer.body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
