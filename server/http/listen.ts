// Plain HTTP, or HTTPS when the operator gives a certificate and key (TLS_CERT / TLS_KEY, PEM
// files): a store server on a NAS can then serve TLS itself, without a reverse proxy in front.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

export interface TlsOptions {
  /** PEM certificate (chain) file; with tlsKey, the server speaks HTTPS only. */
  tlsCert?: string;
  /** PEM private key file. */
  tlsKey?: string;
}

export const schemeOf = (tls: TlsOptions): 'http' | 'https' => (tls.tlsCert ? 'https' : 'http');

/**
 * How long an idle keep-alive connection stays open. Advertised in every response
 * (`Keep-Alive: timeout=30`); a client's pool (Node's fetch) retires an idle socket 2 s before
 * the advertised time, so it never sends a request on a socket this server is about to close.
 * Long enough that an engine busy applying a big page still finds its connection open.
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 30_000;

/** Listens on `port` (0: a free one) over HTTP or, given a certificate and key, HTTPS; resolves once listening. */
export function listenOn(
  app: RequestListener,
  port: number,
  tls: TlsOptions = {},
  keepAliveTimeoutMs = DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
): Promise<Server> {
  if (Boolean(tls.tlsCert) !== Boolean(tls.tlsKey)) {
    return Promise.reject(new Error('TLS needs both TLS_CERT and TLS_KEY (PEM files)'));
  }
  let server: Server;
  try {
    server = tls.tlsCert
      ? // https.Server has http.Server's connection methods (closeIdleConnections, …) that closeHttp uses.
        createHttpsServer({ cert: readFileSync(tls.tlsCert), key: readFileSync(tls.tlsKey!) }, app)
      : createHttpServer(app);
  } catch (error) {
    return Promise.reject(new Error(`cannot use the TLS certificate or key: ${(error as Error).message}`));
  }
  server.keepAliveTimeout = keepAliveTimeoutMs;
  // Longer than the keep-alive: a client starting a request on an idle socket just before the
  // keep-alive ends must not be cut by the headers timer instead.
  server.headersTimeout = keepAliveTimeoutMs + 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
