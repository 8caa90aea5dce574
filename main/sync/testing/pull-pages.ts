// Scripted pull answers for the engine's page tests: a kpi_data row as the server sends it, and
// a page of such rows with its cursor.
import type { PullResponse } from '../../../shared/protocol/sync.js';

export const pulledAt = '2026-11-29T10:00:00.000Z';

/** A kpi_data row another device wrote, at `version` (its value the version unless given). */
export const pulledKpi = (id: string, version: number, value = version) => ({
  id,
  updated_at: pulledAt,
  deleted_at: null,
  metric: 'sales',
  value,
  store_id: 'store-001',
  period: '2026-11',
  target: null,
  server_version: version,
  server_updated_at: pulledAt,
  written_by: 'other-device',
});

export const pullPage = (rows: Record<string, unknown>[], cursor: string, hasMore = false): PullResponse => ({
  success: true,
  timestamp: pulledAt,
  changes: { kpi_data: rows },
  conflicts: null,
  cursor,
  has_more: hasMore,
});
