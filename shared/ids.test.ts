import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';
import { rowSchemas } from './tables.js';
import { PushRequest } from './protocol/sync.js';

describe('new ids', () => {
  it('are UUIDv7 the protocol accepts as record and change ids', () => {
    const id = newId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rowSchemas.submissions.shape.id.safeParse(id).success).toBe(true);
    expect(
      PushRequest.safeParse({
        device_id: 'till-1',
        timestamp: new Date().toISOString(),
        changes: {
          kpi_data: [{ id, change_id: newId(), metric: 'Footfall', value: 1, updated_at: new Date().toISOString() }],
        },
      }).error,
    ).toBeUndefined();
  });

  it('sort in the order they were made, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, newId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carry the time they were made in their first 48 bits', () => {
    const before = Date.now();
    const id = newId();
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 1);
  });
});
