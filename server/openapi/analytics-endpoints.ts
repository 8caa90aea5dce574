// The sync analytics endpoint as an OpenAPI operation: the query and the answer are the shared
// zod schemas of shared/protocol/analytics.ts that the route in server/app.ts parses and answers
// with. (GET /metrics is for the operator's Prometheus, in its own text format: not listed here.)
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { DeviceActivityQuery, DeviceActivityResponse } from '../../shared/protocol/analytics.js';
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
}
