// GET /api/v1/audit?table=…&record_id=…: a record's history for the manager (seed: "Full audit trail").
import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { AuditEntry, AuditQuery } from '../../shared/protocol/sync.js';
import type { Queryable } from '../db/client.js';
import { audit_log } from '../db/schema.js';

export async function recordHistory(db: Queryable, query: z.output<typeof AuditQuery>): Promise<AuditEntry[]> {
  const rows = await db
    .select()
    .from(audit_log)
    .where(and(eq(audit_log.table_name, query.table), eq(audit_log.record_id, query.record_id)))
    .orderBy(asc(audit_log.id));
  return rows.map((row) => ({
    id: row.id,
    at: row.at.toISOString(),
    device_id: row.device_id,
    table: query.table,
    record_id: row.record_id,
    operation: row.operation,
    before: row.before as Record<string, unknown> | null,
    after: row.after as Record<string, unknown> | null,
    outcome: row.outcome,
    rule: row.rule,
    change_id: row.change_id,
    server_version: row.server_version,
    merge: row.merge,
    scope: row.scope,
  }));
}
