// Reads the server's own record of what happened, straight from its PostgreSQL database: the
// append-only audit log says in which order a device's changes were applied (Example 3: "Process
// queue in order"), which no screen of the app shows.
import pg from 'pg';

export interface AuditRow {
  id: number;
  device_id: string;
  table_name: string;
  record_id: string;
  operation: 'INSERT' | 'UPDATE' | 'DELETE';
  outcome: string;
  after: Record<string, unknown> | null;
}

/** Every change the server applied from this device, in the order it applied them. */
export async function auditTrailOf(databaseUrl: string, deviceId: string): Promise<AuditRow[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<AuditRow>(
      'SELECT id, device_id, table_name, record_id, operation, outcome, after FROM audit_log WHERE device_id = $1 ORDER BY id',
      [deviceId],
    );
    return result.rows.map((row) => ({ ...row, id: Number(row.id) }));
  } finally {
    await client.end();
  }
}
