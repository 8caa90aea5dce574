// A pull endpoint on loopback whose answer to each pull the test scripts (a page, or an HTTP
// status to fail with), for the engine's page tests: real HTTP and a real client, with the
// server's side chosen row by row.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PULL_NEXT_HEADERS, type PullNext, type PullResponse } from '../../../shared/protocol/sync.js';

export interface ScriptedPullServer {
  url: string;
  /** The cursor of every pull received, in order (null: from the beginning). */
  requested: (string | null)[];
  close(): Promise<void>;
}

/** What the server's headers say of a page: its own cursor, timestamp and has_more. */
export const pageNext = (page: PullResponse): PullNext => ({
  cursor: page.cursor,
  timestamp: page.timestamp,
  has_more: page.has_more,
});

export interface ScriptedPullOptions {
  /**
   * The headers saying where the next page starts (PULL_NEXT_HEADERS): given the page, what they
   * say (`pageNext`: what the server says, the page's own values); null: none. Without this
   * option, no such headers (as a server before them).
   */
  nextHeaders?: (page: PullResponse) => PullNext | null;
  /** Awaited between the answer's headers (sent at once) and its body: holds the body back. */
  beforeBody?: (cursor: string | null) => Promise<void>;
}

/** Starts it; `answer` is called for every pull with the cursor it was sent from. */
export async function startScriptedPullServer(
  answer: (cursor: string | null) => PullResponse | number,
  options: ScriptedPullOptions = {},
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
        return;
      }
      const next = options.nextHeaders?.(reply) ?? null;
      if (next) {
        res.setHeader(PULL_NEXT_HEADERS.cursor, next.cursor);
        res.setHeader(PULL_NEXT_HEADERS.timestamp, next.timestamp);
        res.setHeader(PULL_NEXT_HEADERS.hasMore, next.has_more ? '1' : '0');
      }
      if (!options.beforeBody) {
        res.end(JSON.stringify(reply));
        return;
      }
      res.flushHeaders();
      void options.beforeBody(cursor).then(() => res.end(JSON.stringify(reply)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requested,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
