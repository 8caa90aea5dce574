// The live-sync WebSocket (GET /api/v1/sync/live) in the OpenAPI document. OpenAPI describes HTTP,
// not the messages a socket carries after the upgrade, so the operation documents the handshake
// (the Bearer token, 101, 401 before the upgrade, 426 for a plain GET) and points, through the
// `x-websocket-messages` extension, at the named components of the messages both ways: the zod
// schemas of shared/protocol/live.ts, named in components.ts like every other body. The message
// flow is in the description. Nothing here restates a message's fields.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { LIVE_PATH } from '../../shared/protocol/live.js';
import { ErrorResponse } from '../../shared/protocol/sync.js';
import { liveMessageNames } from './components.js';
import { BEARER_SCHEME } from './sync-endpoints.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Where a client generator (or a reader) finds the messages: each a $ref to a named component. */
export const liveMessagesExtension = {
  'server-to-device': ref(liveMessageNames.server),
  'device-to-server': ref(liveMessageNames.client),
};

const FLOW = [
  'A WebSocket (RFC 6455) that tells a device, within milliseconds, that tables it reads have changed; it carries no row data. Messages are JSON text frames, one object each, told apart by `type` (schemas: `x-websocket-messages`).',
  '',
  `1. Connect with \`Upgrade: websocket\` and the device token (\`Authorization: Bearer <token>\`). A missing or unknown token gets 401 with the usual error body before any upgrade; a device may hold several sockets.`,
  `2. Send \`${liveMessageNames.hello}\` (\`{"type":"hello","cursor":"<cursor of your last pull>"}\`, or \`null\` before the first pull). When the server holds anything newer for the tables you read, it answers at once with a poke of all of them.`,
  `3. Whenever another device pushes changes to tables you may read, the server sends \`${liveMessageNames.poke}\` (\`{"type":"poke","tables":[...],"version":"<cursor>"}\`): pull (POST /api/v1/sync/pull, with your own cursor) to get them. Pokes for your own pushes are not sent; pokes arriving together are batched into one.`,
  `4. Every 30 s the server sends \`${liveMessageNames.ping}\` (\`{"type":"ping"}\`) with a protocol-level ping; a socket that did not answer the previous ping is closed.`,
  '',
  'A poke is only a hint: the pull and its cursor stay the truth, so a lost or late poke delays a change and never loses one. A client still pulls on its other triggers, and on reconnecting (with backoff and jitter) sends a hello to catch up. Close codes: 1008 for a message the server does not understand, 4401 when the device token is revoked (do not reconnect with it). A socket more than 64 KB behind on reading is dropped as too slow.',
].join('\n');

export function describeLiveEndpoint(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: LIVE_PATH,
    operationId: 'live',
    tags: ['live'],
    summary: 'Live sync: a WebSocket that pokes the device when tables it reads change',
    description: FLOW,
    security: [{ [BEARER_SCHEME]: [] }],
    parameters: [
      {
        name: 'Upgrade',
        in: 'header',
        required: true,
        schema: { type: 'string', const: 'websocket' },
        description: 'Asks for the WebSocket upgrade.',
      },
      { name: 'Connection', in: 'header', required: true, schema: { type: 'string', const: 'Upgrade' } },
      { name: 'Sec-WebSocket-Version', in: 'header', required: true, schema: { type: 'string', const: '13' } },
      {
        name: 'Sec-WebSocket-Key',
        in: 'header',
        required: true,
        schema: { type: 'string' },
        description: 'As RFC 6455 says; any WebSocket client sends it.',
      },
    ],
    'x-websocket-messages': liveMessagesExtension,
    responses: {
      101: {
        description: `Switching Protocols: the socket is open. The server sends ${liveMessageNames.poke} and ${liveMessageNames.ping} messages; the device may send ${liveMessageNames.hello}.`,
        headers: {
          Upgrade: { schema: { type: 'string', const: 'websocket' } },
          Connection: { schema: { type: 'string', const: 'Upgrade' } },
          'Sec-WebSocket-Accept': { schema: { type: 'string' } },
        },
      },
      401: {
        description:
          'No token, or a token the server does not know: refused before the upgrade, with a `WWW-Authenticate` header.',
        content: { 'application/json': { schema: ErrorResponse } },
      },
      426: {
        description: 'A plain GET without `Upgrade: websocket`: this path only speaks WebSocket.',
        content: { 'application/json': { schema: ErrorResponse } },
      },
    },
  });
}
