// The protocol's OpenAPI document, as a client team gets it: fetched from a real server, valid
// OpenAPI 3.1 by an independent validator, holding what they build against, and unable to drift
// from the zod schemas the server parses and answers with.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { LIVE_PATH, LiveClientMessage, LiveServerMessage } from '../../shared/protocol/live.js';
import { PushRequest } from '../../shared/protocol/sync.js';
import { tableNames } from '../../shared/tables.js';
import { make, ProtocolTestClient } from '../testing/sync-client.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { liveMessageNames, protocolComponents, pushRowName, serverRowName } from './components.js';

type Json = Record<string, any>;

let server: TestServer;
let doc: Json;
let schemas: Json;

beforeAll(async () => {
  server = await startTestServer();
  const response = await fetch(`${server.url}/api/v1/openapi.json`); // no token: public like status
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  doc = (await response.json()) as Json;
  schemas = doc.components.schemas;
});
afterAll(async () => {
  await server?.dispose();
});

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonSchemaOf = (content: Json | undefined) => content?.['application/json']?.schema;

describe('GET /api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // The validator does catch a broken document, so the pass above means something.
    const { info: _, ...noInfo } = structuredClone(doc);
    expect((await new Validator().validate(noInfo)).valid).toBe(false);
  });

  it('describes pull, push and status with their request and response schemas', () => {
    const pull = doc.paths['/api/v1/sync/pull'].post;
    const push = doc.paths['/api/v1/sync/push'].post;
    const status = doc.paths['/api/v1/sync/status'].get;
    expect(jsonSchemaOf(pull.requestBody.content)).toEqual(ref('PullRequest'));
    // Rows as objects, or as arrays named by `columns` when the request asks (row_format).
    expect(jsonSchemaOf(pull.responses['200'].content)).toEqual({
      anyOf: [ref('PullResponse'), ref('PullArraysResponse')],
    });
    expect(jsonSchemaOf(push.requestBody.content)).toEqual(ref('PushRequest'));
    expect(jsonSchemaOf(push.responses['200'].content)).toEqual(ref('PushResponse'));
    expect(jsonSchemaOf(status.responses['200'].content)).toEqual(ref('StatusResponse'));
    for (const operation of [pull, push]) {
      expect(operation.requestBody.description).toMatch(/Content-Encoding: gzip/);
      for (const code of ['400', '401', '403', '413']) {
        expect(jsonSchemaOf(operation.responses[code].content), `${operation.operationId} ${code}`).toEqual(
          ref('ErrorResponse'),
        );
      }
    }
    expect(pull.responses['200'].description).toMatch(/Accept-Encoding: gzip/);
    expect(Object.keys(pull.responses['200'].headers)).toEqual([
      'x-pull-cursor',
      'x-pull-timestamp',
      'x-pull-has-more',
    ]);
    expect(schemas.ErrorResponse.required).toEqual(['success', 'error']);
  });

  it('describes the manager-only sync analytics with its query and answer', () => {
    const devices = doc.paths['/api/v1/sync/devices'].get;
    expect(jsonSchemaOf(devices.responses['200'].content)).toEqual(ref('DeviceActivityResponse'));
    expect(devices.parameters).toEqual([
      expect.objectContaining({
        name: 'days',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ minimum: 1, maximum: 90, default: 7 }),
      }),
    ]);
    for (const code of ['400', '401', '403'])
      expect(jsonSchemaOf(devices.responses[code].content), code).toEqual(ref('ErrorResponse'));
    expect(schemas.DeviceActivity.properties.days.items).toEqual(ref('DeviceDayActivity'));
    expect(schemas.DeviceActivity.required).toContain('revoked_at');

    const revoke = doc.paths['/api/v1/devices/{id}/revoke'].post;
    expect(jsonSchemaOf(revoke.responses['200'].content)).toEqual(ref('DeviceRevokeResponse'));
    expect(revoke.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    for (const code of ['400', '401', '403', '404'])
      expect(jsonSchemaOf(revoke.responses[code].content), code).toEqual(ref('ErrorResponse'));
  });

  it('describes the live-sync WebSocket: the upgrade, its refusals, and its messages as named components', () => {
    const live = doc.paths[LIVE_PATH].get;
    expect(live.security).toEqual(doc.paths['/api/v1/sync/pull'].post.security);
    expect(live.responses['101'].description).toMatch(/^Switching Protocols/);
    expect(live.responses['101'].content).toBeUndefined();
    for (const code of ['401', '426'])
      expect(jsonSchemaOf(live.responses[code].content), code).toEqual(ref('ErrorResponse'));
    expect(live.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'Upgrade',
          in: 'header',
          required: true,
          schema: { type: 'string', const: 'websocket' },
        }),
      ]),
    );
    // The message flow is described: hello, poke, ping, and that a poke means "pull".
    for (const words of ['"type":"hello"', '"type":"poke"', '"type":"ping"', '/api/v1/sync/pull'])
      expect(live.description).toContain(words);

    // Each direction points at a component that is a union of exactly the zod schema's messages.
    expect(live['x-websocket-messages']).toEqual({
      'server-to-device': ref('LiveServerMessage'),
      'device-to-server': ref('LiveClientMessage'),
    });
    const messageTypes = (union: typeof LiveServerMessage | typeof LiveClientMessage) =>
      union.options.map((option) => option.shape.type.value);
    for (const [name, union, members] of [
      ['LiveServerMessage', LiveServerMessage, ['LivePoke', 'LivePing']],
      ['LiveClientMessage', LiveClientMessage, ['LiveHello']],
    ] as const) {
      expect(schemas[name].oneOf, name).toEqual(members.map(ref));
      expect(schemas[name].discriminator.propertyName).toBe('type');
      expect(Object.keys(schemas[name].discriminator.mapping), name).toEqual(messageTypes(union));
      members.forEach((member, i) => expect(schemas[member].properties.type.enum).toEqual([messageTypes(union)[i]]));
    }
    // Named, so the field-by-field check against the zod schemas below covers them too.
    expect(Object.keys(protocolComponents)).toEqual(expect.arrayContaining(Object.values(liveMessageNames)));
    expect(schemas.LivePoke.required).toEqual(['type', 'tables', 'version']);
    expect(schemas.LivePoke.properties.tables.items).toEqual(ref('TableName'));
    expect(schemas.LiveHello.properties.cursor.type).toEqual(['string', 'null']);
  });

  it('asks for the Bearer token on pull and push, not on status', () => {
    const schemes = doc.components.securitySchemes;
    const [name] = Object.keys(schemes);
    expect(schemes[name!]).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/v1/sync/pull'].post.security).toEqual([{ [name!]: [] }]);
    expect(doc.paths['/api/v1/sync/push'].post.security).toEqual([{ [name!]: [] }]);
    expect(doc.paths['/api/v1/sync/status'].get.security).toEqual([]);
  });

  it('holds the seed fields a timestamp-only client uses', () => {
    expect(schemas.PullRequest.properties.last_sync_timestamp).toMatchObject({
      type: ['string', 'null'],
      format: 'date-time',
    });
    expect(schemas.PullRequest.required).toEqual(['device_id']);
    expect(schemas.PullResponse.properties.timestamp).toMatchObject({ type: 'string', format: 'date-time' });
    expect(schemas.PushRequest.required).toEqual(['device_id', 'timestamp', 'changes']);
    // Every table a push may carry, each with its own row schema, and nothing else.
    const changes = schemas.PushRequest.properties.changes;
    expect(Object.keys(changes.properties)).toEqual(tableNames);
    expect(changes.additionalProperties).toBe(false);
    for (const table of tableNames) expect(changes.properties[table].items).toEqual(ref(pushRowName(table)));
  });

  it('documents every field of every named zod schema, with the same required fields', () => {
    for (const [name, schema] of Object.entries(protocolComponents)) {
      const documented = schemas[name];
      expect(documented, name).toBeDefined();
      if (!(schema instanceof z.ZodObject)) continue;
      const shape = schema.shape as Record<string, z.ZodType>;
      expect(Object.keys(documented!.properties ?? {}), name).toEqual(Object.keys(shape));
      const required = Object.keys(shape).filter((key) => !shape[key]!.safeParse(undefined).success);
      expect(documented!.required ?? [], name).toEqual(required);
    }
    // The ones a client cares most about are among them.
    expect(Object.keys(protocolComponents)).toEqual(
      expect.arrayContaining([
        'PullRequest',
        'PullResponse',
        'PushRequest',
        'PushResponse',
        'StatusResponse',
        'ErrorResponse',
      ]),
    );
    expect(Object.keys(schemas.PushRequest.properties)).toEqual(Object.keys(PushRequest.shape));
    expect(schemas.TableName.enum).toEqual(tableNames);
  });

  it('never documents a nullable use of a named schema as "the schema and null at once"', () => {
    // allOf [$ref X, {type: [..., "null"]}] matches no value when X is not nullable itself.
    const offenders: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const allOf = (node as Json).allOf as Json[] | undefined;
      if (allOf?.some((part) => part.$ref) && allOf.some((part) => [part.type].flat().includes('null')))
        offenders.push(path);
      for (const [key, value] of Object.entries(node)) walk(value, `${path}/${key}`);
    };
    walk(doc, '#');
    expect(offenders).toEqual([]);
  });

  it('matches what the server really answers', async () => {
    const manager = new ProtocolTestClient(server.url, 'mac-001', await server.enroll('mac-001', 'manager'));
    const keysOf = (body: Json, name: string) => {
      const documented = schemas[name]!;
      expect(Object.keys(documented.properties), name).toEqual(expect.arrayContaining(Object.keys(body)));
      expect(Object.keys(body), name).toEqual(expect.arrayContaining(documented.required));
    };

    const pushed = await manager.push({ forms: [make.form()], kpi_data: [make.kpi()] });
    expect(pushed.status).toBe(200);
    keysOf(pushed.body, 'PushResponse');

    const pulled = await manager.pull({ last_sync_timestamp: null });
    expect(pulled.status).toBe(200);
    keysOf(pulled.body, 'PullResponse');
    // Asked as arrays: the documented PullArraysResponse, each row as long as its table's columns,
    // which are those of the table's documented server row.
    const arrays = await manager.pull({ last_sync_timestamp: null, row_format: 'arrays' });
    expect(arrays.status).toBe(200);
    keysOf(arrays.body, 'PullArraysResponse');
    for (const table of ['forms', 'kpi_data'] as const) {
      const columns = arrays.body.columns[table] as string[];
      expect([...columns].sort(), table).toEqual(Object.keys(schemas[serverRowName(table)]!.properties).sort());
      expect(arrays.body.changes[table][0], table).toHaveLength(columns.length);
    }
    // Pulled rows carry exactly the columns of their table's documented server row.
    for (const table of ['forms', 'kpi_data'] as const) {
      const [row] = pulled.body.changes[table];
      expect(Object.keys(row).sort(), table).toEqual(Object.keys(schemas[serverRowName(table)]!.properties).sort());
    }

    const status = await fetch(`${server.url}/api/v1/sync/status`);
    keysOf((await status.json()) as Json, 'StatusResponse');

    const devices = await fetch(`${server.url}/api/v1/sync/devices?days=2`, {
      headers: { authorization: `Bearer ${manager.token}` },
    });
    expect(devices.status).toBe(200);
    const analytics = (await devices.json()) as Json;
    keysOf(analytics, 'DeviceActivityResponse');
    keysOf(analytics.devices[0], 'DeviceActivity');
    keysOf(analytics.devices[0].days[0], 'DeviceDayActivity');

    const refused = await manager.push({ widgets: [] });
    expect(refused.status).toBe(400);
    keysOf(refused.body, 'ErrorResponse');

    // Live sync: the upgrade without a token is refused with the documented error; with one it
    // switches protocols, and a hello from a device that has pulled nothing gets a documented poke.
    const liveUrl = `${server.url.replace('http', 'ws')}${LIVE_PATH}`;
    const unauthorized = await new Promise<{ status: number; body: Json }>((resolve, reject) => {
      const socket = new WebSocket(liveUrl);
      socket.once('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += String(chunk)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Json }));
      });
      socket.once('open', () => reject(new Error('the upgrade was accepted without a token')));
      socket.once('error', () => {});
    });
    expect(unauthorized.status).toBe(401);
    keysOf(unauthorized.body, 'ErrorResponse');

    const store = new ProtocolTestClient(server.url, 'openapi-store', await server.enroll('openapi-store', 'store'));
    const socket = new WebSocket(liveUrl, { headers: { Authorization: `Bearer ${store.token}` } });
    try {
      // 'upgrade' and 'open' fire in one go: listen for the message before either.
      const upgraded = new Promise<number>((resolve) => socket.once('upgrade', (res) => resolve(res.statusCode ?? 0)));
      const opened = new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      const poke = new Promise<Json>((resolve) =>
        socket.once('message', (data) => resolve(JSON.parse(String(data)) as Json)),
      );
      await opened;
      expect(await upgraded).toBe(101);
      socket.send(JSON.stringify({ type: 'hello', cursor: null }));
      const message = await poke;
      expect(message.type).toBe('poke');
      keysOf(message, 'LivePoke');
    } finally {
      socket.terminate();
    }
  });

  it('lists only endpoints the server has', async () => {
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const method of Object.keys(operations)) {
        const response = await fetch(`${server.url}${path}`, {
          method: method.toUpperCase(),
          ...(method === 'post' ? { body: '{}' } : {}),
        });
        const secured = (operations[method].security ?? doc.security ?? []).length > 0;
        // Without a token a secured endpoint answers 401, an open one 200, the WebSocket (to a
        // plain request, upgrade or not) 426: never "no route" (404).
        const upgradeOnly = operations[method].responses['426'] !== undefined;
        expect(response.status, `${method} ${path}`).toBe(upgradeOnly ? 426 : secured ? 401 : 200);
      }
    }
  });
});
