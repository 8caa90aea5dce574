// The sync analytics endpoint as an OpenAPI operation: the query and the answer are the shared
// zod schemas of shared/protocol/analytics.ts that the route in server/app.ts parses and answers
// with, and the manager's revocation of a device (server/http/devices.ts). (GET /metrics is for the operator's Prometheus, in its own text format: not listed here.)
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  DeviceActivityQuery,
  DeviceActivityResponse,
  DeviceRevokeResponse,
  DeviceScopeRequest,
  DeviceScopeResponse,
} from '../../shared/protocol/analytics.js';
import { deviceId } from '../../shared/protocol/sync.js';
import { API_PREFIX, ErrorResponse } from '../../shared/protocol/sync.js';
import { BEARER_SCHEME } from './sync-endpoints.js';

export function describeAnalyticsEndpoints(registry: OpenAPIRegistry): void {
  const refusal = (description: string) => ({
    description,
    content: { 'application/json': { schema: ErrorResponse } },
  });
  registry.registerPath({
    method: 'get',
    path: `${API_PREFIX}/sync/devices`,
    operationId: 'syncDevices',
    tags: ['analytics'],
    summary:
      "Sync analytics: every device's traffic per day, conflicts per table, failures and refused changes (manager devices only)",
    description:
      "Days are UTC calendar days, today last. Pulls and pushes count requests answered 2xx, `failures` the device's requests answered 4xx or 5xx, `refused` the rows of pushes refused for good (4xx). Conflicts come from the audit log. Counts are recorded just after each answer is sent, so a request answered a moment ago may not be counted yet.",
    security: [{ [BEARER_SCHEME]: [] }],
    request: { query: DeviceActivityQuery },
    responses: {
      200: {
        description:
          'Every enrolled device, by id. Compressed with gzip when the request sends `Accept-Encoding: gzip`.',
        content: { 'application/json': { schema: DeviceActivityResponse } },
      },
      400: refusal('`days` is not a whole number from 1 to 90.'),
      401: refusal('No token, or a token the server does not know.'),
      403: refusal('The token belongs to a store device: only manager devices may read the analytics.'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: `${API_PREFIX}/devices/{id}/revoke`,
    operationId: 'revokeDevice',
    tags: ['analytics'],
    summary: "Revoke another device's token at once (a lost phone), manager devices only",
    description:
      "The device's next request gets 401 and its open live connections are closed; recorded in the device audit log with the manager's device id. Revoking a revoked device changes nothing (`already_revoked`). A new token comes only from `npm run device:add -- <id> --force` on the server.",
    security: [{ [BEARER_SCHEME]: [] }],
    request: { params: z.object({ id: deviceId }) },
    responses: {
      200: {
        description: 'Revoked now, or already.',
        content: { 'application/json': { schema: DeviceRevokeResponse } },
      },
      400: refusal('A malformed id, or the manager revoking itself.'),
      401: refusal('No token, or a token the server does not know.'),
      403: refusal('The token belongs to a store device: only manager devices may revoke.'),
      404: refusal('No device with that id is enrolled.'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: `${API_PREFIX}/devices/{id}/scope`,
    operationId: 'moveDeviceToStore',
    tags: ['analytics'],
    summary: 'Move a store device to another store (manager devices only)',
    description:
      "The device belongs to the new store at once: its pushes of the old store's rows get 403, and its next pull brings every row of the new store (paged) and lists the old store's rows in `removed`, without resending the tables every store reads. Nothing is deleted on the server. Recorded in the device audit log with the manager's device id. The same as `npm run device:scope -- <id> --store <code>`.",
    security: [{ [BEARER_SCHEME]: [] }],
    request: {
      params: z.object({ id: deviceId }),
      body: { content: { 'application/json': { schema: DeviceScopeRequest } } },
    },
    responses: {
      200: {
        description: 'Moved now, or it already belonged to that store (`moved: false`).',
        content: { 'application/json': { schema: DeviceScopeResponse } },
      },
      400: refusal('A malformed id or store code, or a manager device (it sees every store).'),
      401: refusal('No token, or a token the server does not know.'),
      403: refusal('The token belongs to a store device: only manager devices may move devices.'),
      404: refusal('No device with that id is enrolled.'),
    },
  });
}
