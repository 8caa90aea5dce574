// The OpenAPI 3.1 document of the protocol, served at GET /api/v1/openapi.json. Generated from
// the shared zod schemas by @asteasolutions/zod-to-openapi, so it cannot describe a field the
// server does not parse or answer with (server/openapi/openapi.test.ts checks both ways).
//
// Built from a list of sections, each adding its operations to one registry. The live-sync
// WebSocket (GET /api/v1/sync/live) is one of them: its upgrade as an operation, its messages
// named in components.ts (an AsyncAPI document could reuse `generateComponents()` over the same
// named schemas).
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { PROTOCOL_VERSION } from '../../shared/protocol/sync.js';
import { nameProtocolComponents } from './components.js';
import { describeAnalyticsEndpoints } from './analytics-endpoints.js';
import { describeLiveEndpoint } from './live-endpoint.js';
import { describeSyncEndpoints } from './sync-endpoints.js';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;
export type DocumentSection = (registry: OpenAPIRegistry) => void;

export const documentSections: DocumentSection[] = [
  describeSyncEndpoints,
  describeAnalyticsEndpoints,
  describeLiveEndpoint,
];

export function buildOpenApiDocument(sections: DocumentSection[] = documentSections): OpenApiDocument {
  const schemas = nameProtocolComponents();
  const registry = new OpenAPIRegistry();
  for (const section of sections) section(registry);
  // The named schemas are listed too, so the per-table row components appear even where a
  // response only says "rows" (pull's `changes`). Each is wrapped as a definition: a bare zod 4
  // object has a `type` property of its own, which the generator would take for a definition's.
  const named = schemas.map((schema) => ({ type: 'schema' as const, schema }));
  const generator = new OpenApiGeneratorV31([...named, ...registry.definitions], { sortComponents: 'alphabetically' });
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Insight Sync protocol',
      version: PROTOCOL_VERSION,
      description:
        'The wire protocol between the Insight devices (Store Manager app, store app) and the sync server. Every endpoint but status needs a device token. Fields may be added to these schemas in later versions, none removed or renamed: a client ignores fields it does not know.',
    },
    tags: [
      {
        name: 'sync',
        description: 'Pull, push and status: the seed protocol plus the cursor, paging and exactly-once fields.',
      },
      { name: 'audit', description: 'The history of one record (manager devices).' },
      { name: 'live', description: 'The live-sync WebSocket: pokes that tell a device to pull now.' },
      { name: 'analytics', description: "Sync analytics per device for the manager's dashboard (manager devices)." },
    ],
  });
}

let served: string | undefined;

/** The document as served: generated once per process, the schemas never change while it runs. */
export function openApiJson(): string {
  served ??= JSON.stringify(buildOpenApiDocument());
  return served;
}
