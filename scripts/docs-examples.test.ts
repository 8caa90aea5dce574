// The protocol examples in the docs are checked against the wire schemas the server and the
// clients parse with (shared/protocol/sync.ts): every ```json block of README.md and docs/*.md
// that is a pull or push request or answer, a status answer or an audit answer must parse, and
// hold no field the schema does not know (a schema that lacks a documented field fails too).
// Elided values ("…") stand for any valid value and are not checked. A cursor a server hands out
// is `<txid>.<version>` (a bare version is only what older servers answered).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  AuditResponse,
  PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
  StatusResponse,
} from '../shared/protocol/sync.js';

const root = join(import.meta.dirname, '..');
const docs = ['README.md', ...readdirSync(join(root, 'docs')).flatMap((f) => (f.endsWith('.md') ? [`docs/${f}`] : []))];

interface Example {
  where: string;
  json: Record<string, unknown>;
}

const examples: Example[] = docs.flatMap((file) => {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].flatMap((match) => {
    const line = text.slice(0, match.index).split('\n').length;
    try {
      const json: unknown = JSON.parse(match[1]!);
      return typeof json === 'object' && json !== null && !Array.isArray(json)
        ? [{ where: `${file}:${line}`, json: json as Record<string, unknown> }]
        : [];
    } catch {
      return []; // not JSON on its own (e.g. a fragment): not a protocol example
    }
  });
});

/** Which wire schema an example is, by the fields it has. */
function schemaOf(json: Record<string, unknown>): [string, z.ZodType] | null {
  const has = (key: string) => key in json;
  if (has('entries') && has('success')) return ['AuditResponse', AuditResponse];
  if (has('applied')) return ['PushResponse', PushResponse];
  if (has('has_more')) return ['PullResponse', PullResponse];
  if (json.status === 'online') return ['StatusResponse', StatusResponse];
  if (has('device_id') && has('changes')) return ['PushRequest', PushRequest];
  if (has('device_id') && (has('cursor') || has('tables') || has('last_sync_timestamp')))
    return ['PullRequest', PullRequest];
  return null;
}

const elided = (value: unknown) => typeof value === 'string' && value.includes('…');

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let at = input;
  for (const key of path)
    at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
}

/** Fields of `input` that parsing dropped: not in the schema (z.object strips what it does not know). */
function unknownFields(input: unknown, output: unknown, path = ''): string[] {
  if (Array.isArray(input) && Array.isArray(output))
    return input.flatMap((item, i) => unknownFields(item, output[i], `${path}[${i}]`));
  if (typeof input !== 'object' || input === null || typeof output !== 'object' || output === null) return [];
  return Object.entries(input).flatMap(([key, value]) =>
    key === '…'
      ? []
      : key in output
        ? unknownFields(value, (output as Record<string, unknown>)[key], path ? `${path}.${key}` : key)
        : [`${path ? `${path}.` : ''}${key}`],
  );
}

/** The problems of an example: schema issues (elided values aside) and fields the schema does not know. */
function problemsOf(example: Example, schema: z.ZodType): string[] {
  const parsed = schema.safeParse(example.json);
  if (!parsed.success) {
    return parsed.error.issues
      .filter((issue) => !elided(valueAt(example.json, issue.path)))
      .filter((issue) => !(issue.code === 'unrecognized_keys' && issue.keys.every((key) => key === '…')))
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  }
  return unknownFields(example.json, parsed.data).map((field) => `${field}: not in the schema`);
}

describe('protocol examples in the docs', () => {
  const checked = examples.flatMap((example) => {
    const found = schemaOf(example.json);
    return found ? [{ ...example, name: found[0], schema: found[1] }] : [];
  });

  it('are found in README.md and docs/server.md, of every kind', () => {
    expect(new Set(checked.map((e) => e.name))).toEqual(
      new Set(['PullRequest', 'PullResponse', 'PushRequest', 'PushResponse', 'StatusResponse', 'AuditResponse']),
    );
    const files = new Set(checked.map((e) => e.where.split(':')[0]));
    expect(files.has('README.md') && files.has('docs/server.md')).toBe(true);
  });

  it.each(examples.flatMap((e) => (schemaOf(e.json) ? [[`${e.where} (${schemaOf(e.json)![0]})`, e]] : [])))(
    '%s parses with its wire schema',
    (_, example) => {
      expect(problemsOf(example, schemaOf(example.json)![1])).toEqual([]);
    },
  );

  it('give cursors in the form a server hands them out', () => {
    for (const example of checked.filter((e) => e.name === 'PullResponse'))
      expect(example.json.cursor, example.where).toMatch(/^\d+\.\d+$/);
  });

  it('would catch a documented field the schema lacks', () => {
    const entry = { id: 1, at: '2025-12-18T11:00:00Z', device_id: 'd', table: 'forms', record_id: 'r' };
    const example = {
      where: 'example',
      json: {
        success: true,
        entries: [
          {
            ...entry,
            operation: 'UPDATE',
            before: null,
            after: null,
            outcome: 'applied',
            rule: null,
            change_id: null,
            server_version: 1,
            colour: 'red',
          },
        ],
      },
    };
    expect(problemsOf(example, AuditResponse)).toEqual(['entries[0].colour: not in the schema']);
  });
});
