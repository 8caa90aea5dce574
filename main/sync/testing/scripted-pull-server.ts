// A pull endpoint on loopback whose answer to each pull the test scripts (a page, or an HTTP
// status to fail with), for the engine's page tests: real HTTP and a real client, with the
// server's side chosen row by row.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PullResponse } from '../../../shared/protocol/sync.js';

export interface ScriptedPullServer {
  url: string;
  /** The cursor of every pull received, in order (null: from the beginning). */
  requested: (string | null)[];
  close(): Promise<void>;
}

/** Starts it; `answer` is called for every pull with the cursor it was sent from. */
export async function startScriptedPullServer(
  answer: (cursor: string | null) => PullResponse | number,
): Promise<ScriptedPullServer> {
  const requested: (string | null)[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { cursor } = JSON.parse(body) as { cursor: string | null };
      requested.push(cursor);
      const reply = answer(cursor);
      res.setHeader('content-type', 'application/json');
      if (typeof reply === 'number') {
        res.statusCode = reply;
        res.end(JSON.stringify({ success: false, error: 'scripted failure' }));
      } else res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requested,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
