// The web host: the same main-process core Electron hosts, behind a small HTTP + WebSocket
// server in plain Node, so the same renderer runs in a browser (the Electron binary cannot be
// downloaded on our build machines; tests, benchmarks and `npm start` use this).
// It is a desktop app's back door, so it is locked down like one:
//   - it listens on loopback only, and answers only requests whose Host is its own address
//     (a DNS-rebinding page cannot reach it under another name);
//   - a WebSocket upgrade must come from the host's own origin (another site open in the same
//     browser cannot drive the core);
//   - every message passes the same handle() as Electron's ipcMain (main/ipc/handle.ts).
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import { ipcChannelNames, ipcEventNames, type IpcEvent } from '../../shared/ipc.js';
import type { AppCore } from '../app-core.js';
import { describeIssues } from '../ipc/handle.js';
import { rendererCsp } from './renderer-csp.js';
import { indexWithBridge, resolveStaticFile, sendFile } from './static-files.js';

const here = dirname(fileURLToPath(import.meta.url));
const defaultRendererDir = join(here, '..', '..', 'dist', 'renderer');
export const defaultWebPort = 5180;

/** One request from the page: an id it picked, a channel of the contract, the payload. */
const BridgeRequest = z.object({
  id: z.int().min(0),
  channel: z.string(),
  payload: z.unknown().optional(),
});

/** A form with a thousand fields is well under this; anything bigger is not from our UI. */
const maxMessageBytes = 8 * 1024 * 1024;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);

export interface WebHostOptions {
  core: Pick<AppCore, 'invoke' | 'on'>;
  /** 0 picks a free port (tests). Default 5180. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default), localhost or ::1. */
  host?: string;
  rendererDir?: string;
  logger?: { info(details: object, message: string): void; warn(details: object, message: string): void };
}

export interface WebHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Content-Security-Policy of the page (renderer-csp.ts): it may also open the bridge's socket. */
const webHostCsp = (port: number) => rendererCsp(`'self' ws://127.0.0.1:${port} ws://localhost:${port}`);

const bridgeSource = readFileSync(join(here, 'bridge.browser.js'), 'utf8')
  .replace('/*INSIGHT_CHANNELS*/ []', JSON.stringify(ipcChannelNames))
  .replace('/*INSIGHT_EVENTS*/ []', JSON.stringify(ipcEventNames));

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { core, logger } = options;
  const host = options.host ?? '127.0.0.1';
  if (!loopbackHosts.has(host)) {
    throw new Error(`The web host listens on loopback only (127.0.0.1, localhost or ::1), not ${host}`);
  }
  const rendererDir = options.rendererDir ?? defaultRendererDir;
  let port = options.port ?? defaultWebPort;

  const ownHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const ownOrigins = () => new Set([...ownHosts()].map((h) => `http://${h}`));

  const securityHeaders = () => ({
    'Content-Security-Policy': webHostCsp(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });

  const refuse = (response: ServerResponse, status: number, message: string) => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders() });
    response.end(message + '\n');
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (!ownHosts().has(request.headers.host ?? '')) return refuse(response, 421, 'Unknown host');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Only GET');
    const path = (request.url ?? '/').split('?')[0]!;
    if (path === '/bridge.js') {
      response.writeHead(200, {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': 'no-cache',
        ...securityHeaders(),
      });
      return response.end(bridgeSource);
    }
    // Browsers ask for it unprompted; "no icon" beats a 404 in the console.
    if (path === '/favicon.ico') {
      response.writeHead(204, securityHeaders());
      return response.end();
    }
    if (path === '/' || path === '/index.html') {
      const html = indexWithBridge(rendererDir);
      if (html === null) {
        return refuse(response, 503, `The renderer is not built (${rendererDir}): run \`npm run build:renderer\``);
      }
      response.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        ...securityHeaders(),
      });
      return response.end(html);
    }
    const file = resolveStaticFile(rendererDir, path);
    if (!file) return refuse(response, 404, 'Not found');
    sendFile(response, file, securityHeaders());
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });

  server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '').split('?')[0];
    const origin = request.headers.origin ?? '';
    if (path !== '/bridge' || !ownHosts().has(request.headers.host ?? '') || !ownOrigins().has(origin)) {
      logger?.warn({ origin, host: request.headers.host, path }, 'web host refused a WebSocket upgrade');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });

  sockets.on('connection', (ws: WebSocket) => {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      // core.invoke never rejects; this catch only keeps a bug from becoming an unhandled rejection.
      answer(ws, data, isBinary).catch((err: unknown) => logger?.warn({ err }, 'web host could not answer a message'));
    });
    ws.on('error', (err) => logger?.warn({ err }, 'web host socket error'));
  });

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean) {
    const reply = (id: number | null, result: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
    };
    if (isBinary) return reply(null, { ok: false, error: 'The bridge speaks JSON text messages only' });
    let message: unknown;
    try {
      message = JSON.parse((data as Buffer).toString()); // ws's default binaryType delivers a Buffer
    } catch {
      return reply(null, { ok: false, error: 'The message is not valid JSON' });
    }
    const envelope = BridgeRequest.safeParse(message);
    if (!envelope.success) {
      const id = (message as { id?: unknown } | null)?.id;
      return reply(typeof id === 'number' ? id : null, {
        ok: false,
        error: `Bad bridge message: ${describeIssues(envelope.error)}`,
      });
    }
    const { id, channel, payload } = envelope.data;
    reply(id, await core.invoke(channel, payload));
  }

  // Engine events go to every open page.
  const broadcast = (event: IpcEvent) => (payload: unknown) => {
    const text = JSON.stringify({ event, payload });
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(text);
  };
  const unsubscribe = ipcEventNames.map((event) => core.on(event, broadcast(event)));

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${host === '::1' ? '[::1]' : host}:${port}/`;
  logger?.info({ url, rendererDir }, 'web host listening');

  return {
    url,
    port,
    async close() {
      for (const off of unsubscribe) off();
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((done) => sockets.close(() => done()));
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
