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

/** Listens on `port` (0: a free one) over HTTP or, given a certificate and key, HTTPS; resolves once listening. */
export function listenOn(app: RequestListener, port: number, tls: TlsOptions = {}): Promise<Server> {
  if (Boolean(tls.tlsCert) !== Boolean(tls.tlsKey)) {
    return Promise.reject(new Error('TLS needs both TLS_CERT and TLS_KEY (PEM files)'));
  }
  let server: Server;
  try {
    server = tls.tlsCert
      ? // https.Server has http.Server's connection methods (closeIdleConnections, …) that closeHttp uses.
        (createHttpsServer({ cert: readFileSync(tls.tlsCert), key: readFileSync(tls.tlsKey!) }, app) as unknown as Server)
      : createHttpServer(app);
  } catch (error) {
    return Promise.reject(new Error(`cannot use the TLS certificate or key: ${(error as Error).message}`));
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
