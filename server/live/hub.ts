// GET /api/v1/sync/live: the WebSocket side of live sync. Each socket belongs to one authenticated
// device; a change notice from the bus becomes a poke to every socket whose device may read one
// of the changed tables (roles: shared/tables.ts tablesReadableBy), except the device that pushed
// and the devices of other stores than the one a store device's push was made in (their pull
// would bring them nothing; with many stores, every push would otherwise wake every store).
// Pokes are batched (notices arriving within `batchMs` make one poke per socket) and every socket
// has a bounded send buffer: a client that does not read is dropped, never waited for, so one
// slow device cannot stall the others. A poke carries no data, so a dropped or missed one costs
// only latency: the device's next pull (interval, Sync Now, reconnect hello) brings the change.
import type { IncomingMessage, Server } from 'node:http';
import { inArray } from 'drizzle-orm';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  LIVE_PATH,
  LIVE_PING_INTERVAL_MS,
  LiveClientMessage,
  type LivePoke,
  type LiveServerMessage,
} from '../../shared/protocol/live.js';
import type { ErrorResponse } from '../../shared/protocol/sync.js';
import { tablesReadableBy, type TableName } from '../../shared/tables.js';
import type { Device } from '../auth/devices.js';
import type { DeviceRevocations } from '../auth/revocation.js';
import type { ServerDatabase } from '../db/client.js';
import { devices } from '../db/schema.js';
import { scopeOf } from '../sync/scope.js';
import { AuthError, deviceForAuthorization } from '../http/auth.js';
import type { ChangeBus, ChangeNotice } from './bus.js';
import { highWaterCursor, isNewer, laterVersion } from './high-water.js';

export interface LiveHubOptions {
  db: ServerDatabase;
  bus: ChangeBus;
  logger: Logger;
  /** How often each socket gets a ping (and must have answered the previous one). */
  pingIntervalMs?: number;
  /** Bytes a socket may have waiting to be sent before it is dropped as too slow. */
  maxBufferedBytes?: number;
  /** Notices arriving within this window make one poke per socket. */
  batchMs?: number;
  /** Revocations made through this process (auth/revocation.ts); the bus brings the others. */
  revocations?: DeviceRevocations;
}

interface Peer {
  device: Device;
  readable: ReadonlySet<TableName>;
  /**
   * The store whose pushes this device hears of (scopeOf), null: every store's. Read when the
   * socket opens and again at every ping round, so a device moved to another store while
   * connected hears of its new store's pushes within a ping interval.
   */
  store: string | null;
  /** Answered the last protocol-level ping. */
  alive: boolean;
}

export class LiveHub {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 4096,
    perMessageDeflate: false,
    clientTracking: false,
  });
  private readonly peers = new Map<WebSocket, Peer>();
  private readonly unsubscribe: () => void;
  private readonly unsubscribeRevocations: () => void;
  private readonly pinger: NodeJS.Timeout;
  private batch: ChangeNotice[] = [];
  private batchTimer: NodeJS.Timeout | null = null;
  private readonly maxBuffered: number;
  private readonly log: Logger;

  constructor(private readonly options: LiveHubOptions) {
    this.log = options.logger.child({ part: 'live' });
    this.maxBuffered = options.maxBufferedBytes ?? 64 * 1024;
    this.unsubscribe = options.bus.subscribe((notice) => this.enqueue(notice));
    // A revoked token's open sockets close at once, not at the device's next request.
    const fromBus = options.bus.onDeviceRevoked((id) => this.dropDevice(id));
    const local = options.revocations?.onRevoked((id) => this.dropDevice(id));
    this.unsubscribeRevocations = () => {
      fromBus();
      local?.();
    };
    this.pinger = setInterval(() => this.pingAll(), options.pingIntervalMs ?? LIVE_PING_INTERVAL_MS);
    this.pinger.unref();
  }

  /** Takes over the server's upgrade requests (only the live path is one of ours). */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(req, socket, head));
  }

  /** Connected sockets (the bench and tests read it). */
  get size(): number {
    return this.peers.size;
  }

  /** Drops every socket (a server stopping); devices fall back to polling and reconnect. */
  close(): void {
    clearInterval(this.pinger);
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.unsubscribe();
    this.unsubscribeRevocations();
    for (const socket of this.peers.keys()) socket.terminate();
    this.peers.clear();
    this.wss.close();
  }

  /** Closes every socket of a revoked device (4401: the client must not reconnect with that token). */
  private dropDevice(deviceId: string): void {
    for (const [socket, peer] of this.peers) {
      if (peer.device.id !== deviceId) continue;
      socket.close(4401, 'device token revoked');
      this.peers.delete(socket);
    }
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => {}); // a client gone mid-handshake is not our failure
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== LIVE_PATH) return refuse(socket, 404, `no WebSocket at ${path}; live sync is at ${LIVE_PATH}`);
    let device: Device;
    try {
      // 401 before the upgrade, with the same check and wording as every other endpoint.
      device = await deviceForAuthorization(this.options.db, req.headers.authorization);
    } catch (error) {
      if (error instanceof AuthError)
        return refuse(socket, 401, error.message, { 'WWW-Authenticate': error.challenge });
      this.log.error({ err: error }, 'live sync: token check failed');
      return refuse(socket, 500, 'internal server error');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.add(ws, device));
  }

  private add(ws: WebSocket, device: Device): void {
    const peer: Peer = {
      device,
      readable: new Set(tablesReadableBy(device.role)),
      store: scopeOf(device),
      alive: true,
    };
    this.peers.set(ws, peer);
    this.log.debug({ device_id: device.id, sockets: this.peers.size }, 'live socket opened');
    ws.on('pong', () => (peer.alive = true));
    ws.on('message', (data) => void this.onMessage(ws, peer, (data as Buffer).toString())); // ws's default binaryType ('nodebuffer') delivers a Buffer
    ws.on('error', () => ws.terminate());
    ws.on('close', () => this.peers.delete(ws));
  }

  private async onMessage(ws: WebSocket, peer: Peer, text: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return ws.close(1008, 'message is not JSON');
    }
    const parsed = LiveClientMessage.safeParse(json);
    if (!parsed.success)
      return ws.close(1008, `message not understood: ${parsed.error.issues[0]?.message ?? 'invalid'}`.slice(0, 120));
    // hello: anything newer than the device's cursor (missed while it was away) gets a poke now.
    const tables = [...peer.readable];
    try {
      const high = await highWaterCursor(this.options.db, tables);
      if (high !== null && isNewer(high, parsed.data.cursor)) this.send(ws, { type: 'poke', tables, version: high });
    } catch (error) {
      this.log.warn({ err: error, device_id: peer.device.id }, 'live sync: hello could not be answered');
    }
  }

  private enqueue(notice: ChangeNotice): void {
    this.batch.push(notice);
    this.batchTimer ??= setTimeout(() => this.flush(), this.options.batchMs ?? 5);
  }

  private flush(): void {
    this.batchTimer = null;
    const notices = this.batch;
    this.batch = [];
    let sent = 0;
    for (const [ws, peer] of this.peers) {
      const tables = new Set<TableName>();
      let version: string | null = null;
      for (const notice of notices) {
        // Never poke a device about its own push: it has the rows already.
        if (notice.device_id === peer.device.id) continue;
        // Nor a store's device about another store's push.
        if (notice.store && peer.store && notice.store !== peer.store) continue;
        const readable = notice.tables.filter((table) => peer.readable.has(table));
        if (readable.length === 0) continue;
        readable.forEach((table) => tables.add(table));
        version = version === null ? notice.version : laterVersion(version, notice.version);
      }
      if (version === null) continue;
      this.send(ws, { type: 'poke', tables: [...tables], version } satisfies LivePoke);
      sent += 1;
    }
    this.log.debug({ notices: notices.length, pokes: sent }, 'live sync: pokes sent');
  }

  private pingAll(): void {
    void this.refreshStores();
    for (const [ws, peer] of this.peers) {
      if (!peer.alive) {
        // No answer to the previous ping: a dead link the OS has not noticed yet.
        ws.terminate();
        continue;
      }
      peer.alive = false;
      ws.ping();
      this.send(ws, { type: 'ping' });
    }
  }

  /** Reads the connected store devices' stores again (a device may have been moved since it connected). */
  private async refreshStores(): Promise<void> {
    const ids = [...new Set([...this.peers.values()].filter((p) => p.device.role === 'store').map((p) => p.device.id))];
    if (ids.length === 0) return;
    try {
      const rows = await this.options.db
        .select({ id: devices.id, store_id: devices.store_id })
        .from(devices)
        .where(inArray(devices.id, ids));
      const stores = new Map(rows.map((row) => [row.id, row.store_id]));
      for (const peer of this.peers.values()) {
        if (!stores.has(peer.device.id)) continue;
        peer.device = { ...peer.device, store_id: stores.get(peer.device.id) ?? null };
        peer.store = scopeOf(peer.device);
      }
    } catch (error) {
      // Kept as they were; the next ping round tries again.
      this.log.warn({ err: error }, 'live sync: device stores could not be read again');
    }
  }

  private send(ws: WebSocket, message: LiveServerMessage): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.maxBuffered) {
      const peer = this.peers.get(ws);
      this.log.warn({ device_id: peer?.device.id, buffered: ws.bufferedAmount }, 'live sync: socket too slow; dropped');
      this.peers.delete(ws);
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(message));
  }
}

function refuse(socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ success: false, error: message } satisfies ErrorResponse);
  const reason = { 401: 'Unauthorized', 404: 'Not Found', 500: 'Internal Server Error' }[status] ?? 'Error';
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
