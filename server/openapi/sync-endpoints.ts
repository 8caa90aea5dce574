// The HTTP endpoints of the sync protocol as OpenAPI operations: each request and response is the
// shared zod schema the route in server/app.ts parses or answers with, never a copy of it. Only
// what HTTP adds is said here: methods, paths, the Bearer token, gzip, and the 4xx answers.
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import {
  API_PREFIX,
  AuditQuery,
  AuditResponse,
  ErrorResponse,
  PULL_NEXT_HEADERS,
  PullRequest,
  PullArraysResponse,
  PullResponse,
  PushRequest,
  PushResponse,
  StatusResponse,
} from '../../shared/protocol/sync.js';
import { z } from 'zod';

export const BEARER_SCHEME = 'deviceToken';

const GZIP_REQUEST =
  'The body is JSON, read as JSON whatever its Content-Type says; it may be gzip-compressed (send `Content-Encoding: gzip`). Its size after inflation is limited by the server (`BODY_LIMIT`, default 10mb; over it: 413).';
const GZIP_RESPONSE = 'Compressed with gzip when the request sends `Accept-Encoding: gzip`.';

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const ok = (description: string, schema: z.ZodType): ResponseConfig => ({
  description: `${description} ${GZIP_RESPONSE}`,
  content: json(schema),
});
const refusal = (description: string): ResponseConfig => ({ description, content: json(ErrorResponse) });

/** The refusals every authenticated sync endpoint can answer with (see server/http/errors.ts). */
const authRefusals = {
  401: refusal('No token, or a token the server does not know.'),
  403: refusal('The token belongs to another `device_id`, or the role may not do this (nothing was applied).'),
};
const bodyRefusals = {
  400: refusal(
    'Malformed JSON, or a body the schema refuses (`details` names each part at fault). Nothing was written.',
  ),
  413: refusal("The body (after gzip inflation) is over the server's limit."),
};

export function describeSyncEndpoints(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', BEARER_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    description:
      'A device token (`npm run device:add -- <device_id> --role store|manager`): `Authorization: Bearer <token>`. Each token belongs to one device_id and one role.',
  });
  const secured = [{ [BEARER_SCHEME]: [] }];

  registry.registerPath({
    method: 'post',
    path: `${API_PREFIX}/sync/pull`,
    operationId: 'pull',
    tags: ['sync'],
    summary: 'Pull the changes made since the last pull, one page at a time',
    description:
      "Send back the `cursor` of the previous page (preferred) or the seed's `last_sync_timestamp`; repeat while `has_more` is true. A store device gets every table but form_templates and settings, and of submissions, submission_answers, kpi_data and team only its own store's rows. `removed` lists rows that left the device's store (it was moved to another store, or a manager moved the row): delete them locally; they were not deleted on the server.",
    security: secured,
    request: { body: { description: GZIP_REQUEST, required: true, content: json(PullRequest) } },
    responses: {
      200: {
        ...ok(
          'One page of changes: rows as objects (PullResponse), or as arrays named by `columns` when asked with `row_format: arrays` (PullArraysResponse).',
          z.union([PullResponse, PullArraysResponse]),
        ),
        // Sent before the body: a client may ask for the next page as soon as they arrive.
        headers: {
          [PULL_NEXT_HEADERS.cursor]: {
            description: 'The `cursor` of this answer, before its body: ask for the next page with it now.',
            schema: { type: 'string' },
          },
          [PULL_NEXT_HEADERS.timestamp]: {
            description: 'The `timestamp` of this answer.',
            schema: { type: 'string', format: 'date-time' },
          },
          [PULL_NEXT_HEADERS.hasMore]: {
            description:
              '`1` when `has_more` is true, `0` when it is false. The body is authoritative: a client that finds its `cursor` or `timestamp` different drops the page it asked for early.',
            schema: { type: 'string', enum: ['0', '1'] },
          },
        },
      },
      ...bodyRefusals,
      ...authRefusals,
    },
  });

  registry.registerPath({
    method: 'post',
    path: `${API_PREFIX}/sync/push`,
    operationId: 'push',
    tags: ['sync'],
    summary: 'Push local changes; conflicts are decided on the server',
    description:
      'The whole body is validated before anything is written and applied in one transaction, parents first. A retried push (same `change_id`s) is applied once. A store device may write submissions, submission_answers and kpi_data only, and only rows of its own store: a row of another store, or a row moved to another store (an answer: through its submission), gets 403 naming the row, and nothing of the push is applied. A row that carries `base_version` is merged field by field with edits made since that version: fields changed on one side only are kept without a conflict (`merged`); a conflict names only the fields both sides changed (`fields`). Without `base_version` whole rows conflict, as in the seed protocol.',
    security: secured,
    request: { body: { description: GZIP_REQUEST, required: true, content: json(PushRequest) } },
    responses: {
      200: ok(
        'Every pushed row as the server now holds it (for a merged change: the merge), each conflict with its resolution, and the changes merged field by field.',
        PushResponse,
      ),
      ...bodyRefusals,
      ...authRefusals,
    },
  });

  registry.registerPath({
    method: 'get',
    path: `${API_PREFIX}/sync/status`,
    operationId: 'status',
    tags: ['sync'],
    summary: "Server health, tables and each device's last sync (no token needed)",
    security: [],
    responses: { 200: ok('The server is up.', StatusResponse) },
  });

  registry.registerPath({
    method: 'get',
    path: `${API_PREFIX}/audit`,
    operationId: 'auditHistory',
    tags: ['audit'],
    summary: 'Every pushed change of one record, oldest first (manager devices only)',
    security: secured,
    request: { query: AuditQuery },
    responses: {
      200: ok("The record's history, conflict losers included.", AuditResponse),
      400: refusal('The query is not a table name and a record UUID.'),
      ...authRefusals,
    },
  });
}
