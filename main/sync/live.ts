// The engine's live link: one WebSocket to GET /api/v1/sync/live while the engine runs. A poke
// from the server becomes a pull trigger (the scheduler coalesces it with any other trigger and
// never runs two syncs at once); the link itself never touches the local store. When the socket
// drops or the upgrade is refused (a proxy that blocks WebSockets, an older server), the mode is
// `polling`: the interval pull, which never stops, carries the changes, and the link tries again
// with backoff and jitter. Nothing depends on a poke arriving (shared/protocol/live.ts).
import WebSocket from 'ws';
import {
  LIVE_PATH,
  LIVE_PING_INTERVAL_MS,
  LiveServerMessage,
  type LiveHello,
  type LivePoke,
  type SyncMode,
} from '../../shared/protocol/live.js';
import type { TableName } from '../../shared/tables.js';
import type { LocalStore } from '../db/client.js';
import type { SyncLogger } from './log.js';
import { compareCursors } from './metadata.js';
import { readCursor } from './pull.js';
import { backoffDelay } from './scheduler.js';

export interface LiveLinkOptions {
  serverUrl: string;
  token: string;
  /** The device's pull position, sent in the hello (null: it has pulled nothing yet). */
  helloCursor(): string | null;
  onPoke(poke: LivePoke): void;
  onModeChange(mode: SyncMode): void;
  log: SyncLogger;
  random?: () => number;
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  /** Silence after which the socket counts as dead (the server pings every 30 s). */
  idleTimeoutMs?: number;
}

/** ws://host/api/v1/sync/live for http://host (wss for https), keeping any path prefix of the server URL. */
export function liveUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${LIVE_PATH}`;
  return url.toString();
}

/**
 * The position to announce: the lowest cursor among the tables the device pulls, so the server
 * pokes when any of them is behind; null when one has never been pulled.
 */
export function helloCursorOf(store: LocalStore, tables: readonly TableName[]): string | null {
  let lowest: string | null = null;
  for (const table of tables) {
    const cursor = readCursor(store, table);
    if (cursor === null) return null;
    if (lowest === null || compareCursors(cursor, lowest) < 0) lowest = cursor;
  }
  return lowest;
}

export class LiveLink {
  private socket: WebSocket | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private running = false;
  private current: SyncMode = 'polling';

  constructor(private readonly options: LiveLinkOptions) {}

  get mode(): SyncMode {
    return this.current;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.reconnectTimer = this.idleTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.removeAllListeners();
    socket?.on('error', () => {}); // a socket still connecting reports its abort as an error
    socket?.terminate();
    this.setMode('polling');
  }

  private connect(): void {
    const { log } = this.options;
    const socket = new WebSocket(liveUrl(this.options.serverUrl), {
      headers: { Authorization: `Bearer ${this.options.token}` },
      handshakeTimeout: 10_000,
      maxPayload: 64 * 1024,
    });
    this.socket = socket;
    socket.on('open', () => {
      this.failures = 0;
      this.setMode('live');
      log.info('live sync connected');
      const hello: LiveHello = { type: 'hello', cursor: this.options.helloCursor() };
      socket.send(JSON.stringify(hello));
      this.armIdle(socket);
    });
    socket.on('message', (data) => {
      this.armIdle(socket);
      let message: LiveServerMessage;
      try {
        message = LiveServerMessage.parse(
          JSON.parse((data as Buffer).toString()) /* ws's default binaryType delivers a Buffer */,
        );
      } catch (error) {
        log.warn({ err: error }, 'live sync: message not understood; ignored');
        return;
      }
      if (message.type === 'poke') this.options.onPoke(message);
    });
    // A refused upgrade (401, 403 from a proxy, 404 from an older server) arrives here as
    // "Unexpected server response: <status>", then `close`.
    socket.on('error', (error) => log.warn({ err: error }, 'live sync unavailable; polling'));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.setMode('polling');
      this.scheduleReconnect();
    });
  }

  /** A socket silent for longer than the ping interval is dead (a sleeping laptop, a cut cable). */
  private armIdle(socket: WebSocket): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => socket.terminate(), this.options.idleTimeoutMs ?? LIVE_PING_INTERVAL_MS * 2.5);
    this.idleTimer.unref();
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    this.failures += 1;
    const delay = backoffDelay(
      { backoffBaseMs: this.options.reconnectBaseMs ?? 1000, backoffCapMs: this.options.reconnectCapMs ?? 60_000 },
      this.failures,
      (this.options.random ?? Math.random)(),
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.running) this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private setMode(mode: SyncMode): void {
    if (mode === this.current) return;
    this.current = mode;
    this.options.onModeChange(mode);
  }
}
