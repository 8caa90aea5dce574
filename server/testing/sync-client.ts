// A minimal HTTP client of the sync protocol for server tests (the real engine lives in main/).
import { randomUUID } from 'node:crypto';
import type { PullRequest, PushRequest } from '../../shared/protocol/sync.js';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export class ProtocolTestClient {
  constructor(
    readonly url: string,
    readonly deviceId: string,
    readonly token: string,
  ) {}

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply<any>> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}`, ...headers },
      body: typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json(), headers: response.headers };
  }

  // Loosely typed on purpose: tests also send what the protocol forbids.
  push(changes: Record<string, unknown[]>, extra: Partial<Record<keyof PushRequest, unknown>> = {}) {
    return this.post('/api/v1/sync/push', {
      device_id: this.deviceId,
      timestamp: new Date().toISOString(),
      changes,
      ...extra,
    });
  }

  pull(extra: Partial<Record<keyof PullRequest, unknown>> = {}) {
    return this.post('/api/v1/sync/pull', { device_id: this.deviceId, ...extra });
  }

  /** Pulls page after page from `cursor` until has_more is false; returns every row and the end cursor. */
  async pullAll(cursor: string | null = null, extra: Partial<Record<keyof PullRequest, unknown>> = {}) {
    const rows: Record<string, unknown>[] = [];
    let pages = 0;
    for (;;) {
      const reply = await this.pull({ ...extra, cursor });
      if (reply.status !== 200) throw new Error(`pull failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      pages += 1;
      for (const [table, list] of Object.entries(reply.body.changes as Record<string, Record<string, unknown>[]>)) {
        for (const row of list) rows.push({ ...row, _table: table });
      }
      cursor = reply.body.cursor;
      if (!reply.body.has_more) return { rows, cursor: cursor as string, pages };
    }
  }
}

const now = () => new Date().toISOString();

/**
 * Row makers with every required column, for tests. A submission or answer names parents (a form,
 * a submission, a field) the server must have: push them first (see `parentsFor`), or the server
 * refuses the row (`rejected`).
 */
export const make = {
  form: (over: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    change_id: randomUUID(),
    title: 'Opening checklist',
    updated_at: now(),
    ...over,
  }),
  submission: (over: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    change_id: randomUUID(),
    form_id: randomUUID(),
    status: 'in_progress',
    updated_at: now(),
    ...over,
  }),
  answer: (submission_id: string, over: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    change_id: randomUUID(),
    submission_id,
    field_id: randomUUID(),
    value: 'yes',
    updated_at: now(),
    ...over,
  }),
  kpi: (over: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    change_id: randomUUID(),
    metric: 'daily_sales',
    value: 100,
    updated_at: now(),
    ...over,
  }),
  field: (form_id: string, over: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    change_id: randomUUID(),
    form_id,
    label: 'Shelves stocked?',
    updated_at: now(),
    ...over,
  }),
  team: (over: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    change_id: randomUUID(),
    name: 'Sam',
    updated_at: now(),
    ...over,
  }),
  store: (code: string, over: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    change_id: randomUUID(),
    code,
    name: `Store ${code}`,
    updated_at: now(),
    ...over,
  }),
};

/** A form with one field, pushed by a manager: parents for the submissions and answers a test pushes. */
export async function parentsFor(manager: ProtocolTestClient): Promise<{ form_id: string; field_id: string }> {
  const form = make.form();
  const field = make.field(form.id);
  const reply = await manager.push({ forms: [form], fields: [field] });
  if (reply.status !== 200) throw new Error(`could not push a form: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { form_id: form.id, field_id: field.id };
}
