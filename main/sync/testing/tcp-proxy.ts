// A small TCP proxy the interruption tests control: it forwards a device's connections to the
// server and can cut them at a chosen moment — after N bytes of the request reached the server,
// or once the server has begun to reply (the server committed, the device never hears it).
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type CutRule =
  /** Drop the connection once this many request bytes were forwarded to the server. */
  | { afterRequestBytes: number }
  /** Drop the connection as soon as the server's response starts (the response is lost). */
  | { onResponse: true; afterResponseBytes?: number }
  /** Reset the connection (TCP RST) as soon as the request starts: nothing reaches the server. */
  | { reset: true };

export interface TcpProxy {
  url: string;
  /**
   * Cut a coming request: the first one whose bytes contain `match`, after letting `skip` such
   * requests through. Resolves when the cut happened.
   */
  cutNext(rule: CutRule, match?: string, skip?: number): Promise<void>;
  /** How many connections were cut so far. */
  readonly cuts: number;
  /** Connections opened from now on hold every chunk, both ways, this long before forwarding it (0: none). */
  setDelay(ms: number): void;
  /** Forgets a cut armed with cutNext that has not happened (its promise stays pending). */
  disarm(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let armed: { rule: CutRule; match?: string; skip: number; done: () => void } | null = null;
  let cuts = 0;
  let delayMs = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    let requestBytes = 0;
    let responseBytes = 0;
    let rule: CutRule | null = null;
    let onCut: (() => void) | null = null;
    // Fixed per connection, so chunks are never reordered when the delay changes.
    const delay = delayMs;
    const later = (work: () => void) => (delay > 0 ? setTimeout(work, delay) : work());
    const cut = () => {
      cuts += 1;
      client.destroy();
      upstream.destroy();
      onCut?.();
    };
    client.on('data', (chunk: Buffer) => later(() => forwardRequest(chunk)));
    upstream.on('data', (chunk: Buffer) => later(() => forwardResponse(chunk)));
    const forwardRequest = (chunk: Buffer) => {
      if (client.destroyed || upstream.destroyed) return;
      if (!rule && armed && (!armed.match || chunk.toString('latin1').includes(armed.match))) {
        if (armed.skip > 0) {
          armed.skip -= 1;
        } else {
          rule = armed.rule;
          onCut = armed.done;
          responseBytes = 0;
          armed = null;
        }
      }
      if (rule && 'reset' in rule) {
        cuts += 1;
        client.resetAndDestroy();
        upstream.destroy();
        onCut?.();
        return;
      }
      if (rule && 'afterRequestBytes' in rule) {
        const room = rule.afterRequestBytes - requestBytes;
        if (chunk.length >= room) {
          upstream.write(chunk.subarray(0, Math.max(0, room)), () => cut());
          requestBytes += room;
          return;
        }
      }
      requestBytes += chunk.length;
      upstream.write(chunk);
    };
    const forwardResponse = (chunk: Buffer) => {
      if (client.destroyed || upstream.destroyed) return;
      if (rule && 'onResponse' in rule) {
        // Counted from the cut request's answer on (a kept-alive connection carried others before).
        const allowed = Math.max(0, (rule.afterResponseBytes ?? 0) - responseBytes);
        if (chunk.length <= allowed) {
          responseBytes += chunk.length;
          client.write(chunk);
          return;
        }
        // Cut once the allowed part has left: destroying at once would drop it unsent.
        if (allowed > 0) client.write(chunk.subarray(0, allowed), () => cut());
        else cut();
        return;
      }
      client.write(chunk);
    };
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get cuts() {
      return cuts;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    disarm() {
      armed = null;
    },
    cutNext(rule, match, skip = 0) {
      return new Promise<void>((resolve) => {
        armed = { rule, match, skip, done: resolve };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
