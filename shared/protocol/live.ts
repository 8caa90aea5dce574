// The live-sync channel (GET /api/v1/sync/live, a WebSocket upgrade with the same bearer token as
// the other endpoints). It carries no row data: a poke only says "these tables changed, up to this
// cursor", and the device then pulls through the ordinary pull endpoint, which alone decides what
// it may read and where its cursor moves. So a lost or late poke can delay a change, never lose
// or corrupt one: the next trigger's pull still brings it.
import { z } from 'zod';
import { TableNameSchema } from '../tables.js';
import { API_PREFIX } from './sync.js';

export const LIVE_PATH = `${API_PREFIX}/sync/live`;

/** The server pings every socket this often; a device takes a socket silent for 2.5 pings as dead. */
export const LIVE_PING_INTERVAL_MS = 30_000;

/**
 * A pull position, exactly as the pull endpoint hands it out. Opaque here: the live channel only
 * passes it along and lets the server compare it with its own high-water mark.
 */
export const LiveCursor = z.string().min(1).max(200);

/** Server → device: tables the device reads changed; `version` is the cursor they reach. */
export const LivePoke = z.object({
  type: z.literal('poke'),
  tables: z.array(TableNameSchema).min(1),
  version: LiveCursor,
});
export type LivePoke = z.infer<typeof LivePoke>;

/** Server → device, every ping interval: keeps proxies from closing an idle socket, proves the link alive. */
export const LivePing = z.object({ type: z.literal('ping') });

export const LiveServerMessage = z.discriminatedUnion('type', [LivePoke, LivePing]);
export type LiveServerMessage = z.infer<typeof LiveServerMessage>;

/**
 * Device → server, after connecting: the device's pull position (null: it has pulled nothing
 * yet). Answered at once by a poke when the server holds anything newer for the device, so
 * changes made while the socket was down are not left waiting for the next interval pull.
 */
export const LiveHello = z.object({ type: z.literal('hello'), cursor: LiveCursor.nullable() });
export type LiveHello = z.infer<typeof LiveHello>;

export const LiveClientMessage = z.discriminatedUnion('type', [LiveHello]);
export type LiveClientMessage = z.infer<typeof LiveClientMessage>;

/** How a device is told about changes: `live` while its socket is up, else `polling` (the interval pull). */
export const SyncMode = z.enum(['live', 'polling']);
export type SyncMode = z.infer<typeof SyncMode>;
