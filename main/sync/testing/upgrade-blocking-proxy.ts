// An HTTP proxy that forwards ordinary requests to the sync server but answers 403 to every
// WebSocket upgrade, as some corporate proxies do: the live socket can never be held through it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BlockingProxy {
  url: string;
  /** Upgrade requests refused so far. */
  readonly refused: number;
  close(): Promise<void>;
}

export async function startUpgradeBlockingProxy(target: string): Promise<BlockingProxy> {
  const upstream = new URL(target);
  let refused = 0;
  const server = http.createServer((req, res) => {
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('upgrade', (_req, socket) => {
    refused += 1;
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get refused() {
      return refused;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
