// A client written from the seed protocol alone, as the future store app would be: it pulls with
// `last_sync_timestamp` and stores the reply's `timestamp` (it has never heard of `cursor`), pushes
// with `timestamp` and no `change_id`, and keeps its rows in memory. Its only guarantee is the one
// the protocol promises: passing back the last `timestamp` never skips a row.
import { randomUUID } from 'node:crypto';
import { serverColumnNames } from '../shared/protocol/sync.js';
import type { TableName } from '../shared/tables.js';

export type WireRow = Record<string, unknown> & { id: string };

export class SeedClient {
  readonly role = 'store' as const;
  /** Rows by table and id, as the server last sent them (tombstones kept), without server bookkeeping. */
  readonly rows = new Map<TableName, Map<string, WireRow>>();
  /** Local edits not yet accepted by a push, by table and id (the latest edit of a row replaces the earlier). */
  readonly queue = new Map<TableName, Map<string, WireRow>>();
  lastSyncTimestamp: string | null = null;
  clockOffsetMs = 0;
  /** Pushes the server refused with a 4xx (none expected: it only writes what a store may). */
  readonly refusals: string[] = [];

  constructor(
    readonly id: string,
    readonly token: string,
    /** Rows per pull page: small, so paging by timestamp is exercised in short runs. */
    readonly pageSize = 5,
  ) {}

  private now = () => new Date(Date.now() + this.clockOffsetMs).toISOString();

  private store(map: Map<TableName, Map<string, WireRow>>, table: TableName, row: WireRow) {
    if (!map.has(table)) map.set(table, new Map());
    map.get(table)!.set(row.id, row);
  }

  /** The row as this client sees it: its own unpushed edit, else what the server sent. */
  current(table: TableName, id: string): WireRow | undefined {
    return this.queue.get(table)?.get(id) ?? this.rows.get(table)?.get(id);
  }

  ids(table: TableName): string[] {
    return [...new Set([...(this.rows.get(table)?.keys() ?? []), ...(this.queue.get(table)?.keys() ?? [])])].sort();
  }

  write(table: TableName, row: Omit<WireRow, 'updated_at'> & Partial<WireRow>) {
    const full = { ...row, updated_at: this.now() } as WireRow;
    this.store(this.queue, table, full);
    return full;
  }

  createKpi(value: number) {
    return this.write('kpi_data', {
      id: randomUUID(),
      metric: 'seed_client',
      value,
      store_id: null,
      period: null,
      target: null,
      deleted_at: null,
    });
  }

  /** Pushes the queue; on success the queue is cleared and the server's winners are kept. */
  async push(url: string): Promise<'ok' | 'failed' | 'nothing'> {
    const changes = Object.fromEntries(
      [...this.queue].filter(([, rows]) => rows.size > 0).map(([table, rows]) => [table, [...rows.values()]]),
    );
    if (Object.keys(changes).length === 0) return 'nothing';
    const reply = await this.post(url, '/api/v1/sync/push', { device_id: this.id, timestamp: this.now(), changes });
    if (!reply) return 'failed';
    if (reply.status >= 400 && reply.status < 500) {
      this.refusals.push(`${reply.status} ${JSON.stringify(reply.body)}`);
      this.queue.clear();
      return 'failed';
    }
    if (reply.status !== 200) return 'failed';
    this.queue.clear();
    for (const [table, rows] of Object.entries(reply.body.applied as Record<string, WireRow[]>)) {
      for (const row of rows) this.store(this.rows, table as TableName, strip(row));
    }
    return 'ok';
  }

  /** Pulls page after page, each from the previous reply's `timestamp`, as the seed protocol says. */
  async pull(url: string): Promise<'ok' | 'failed'> {
    for (let pages = 0; pages < 1000; pages += 1) {
      const reply = await this.post(url, '/api/v1/sync/pull', {
        device_id: this.id,
        last_sync_timestamp: this.lastSyncTimestamp,
        limit: this.pageSize,
      });
      if (!reply || reply.status !== 200) return 'failed';
      for (const [table, rows] of Object.entries(reply.body.changes as Record<string, WireRow[]>)) {
        for (const row of rows) {
          // An unpushed local edit stays until its push (the server decides then).
          if (!this.queue.get(table as TableName)?.has(row.id)) this.store(this.rows, table as TableName, strip(row));
        }
      }
      this.lastSyncTimestamp = reply.body.timestamp as string;
      if (!reply.body.has_more) return 'ok';
    }
    return 'failed';
  }

  async sync(url: string) {
    const pushed = await this.push(url);
    const pulled = await this.pull(url);
    return { pushed, pulled };
  }

  private async post(
    url: string,
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> } | null> {
    try {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    } catch {
      return null; // unreachable, cut, reset or timed out: try again later
    }
  }
}

const strip = (row: WireRow): WireRow => {
  const copy: Record<string, unknown> = { ...row };
  for (const column of [...serverColumnNames, 'change_id']) delete copy[column];
  return copy as WireRow;
};
