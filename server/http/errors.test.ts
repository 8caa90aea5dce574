// How a refused request is worded: the path of the field at fault, and a message that tells a
// missing field from one of the wrong type (zod's issues carry neither the value nor its absence,
// so detailsOf looks at what was parsed). Pure: zod and the wire schemas only.
import { describe, expect, it } from 'vitest';
import { PullRequest, PushRequest } from '../../shared/protocol/sync.js';
import { detailsOf, validationError } from './errors.js';

const kpi = (over: Record<string, unknown>) => ({
  id: '0b7e1c1e-8a53-4a43-9d4c-2f1e3c9a7b10',
  updated_at: '2026-11-30T08:00:00Z',
  metric: 'daily_sales',
  value: 100,
  ...over,
});

const refusal = (input: unknown) => {
  const parsed = PushRequest.safeParse(input);
  if (parsed.success) throw new Error('expected the push to be refused');
  return detailsOf(parsed.error, input);
};

const push = (rows: unknown[]) => ({
  device_id: 'store-001',
  timestamp: '2026-11-30T08:00:00Z',
  changes: { kpi_data: rows },
});

describe('validation messages', () => {
  it('says "is required" only for a field that is absent', () => {
    const { metric: _, ...noMetric } = kpi({});
    expect(refusal(push([noMetric]))).toEqual([{ path: 'changes.kpi_data[0].metric', message: 'is required' }]);
  });

  it('says what a field of the wrong type must be and what it got', () => {
    expect(refusal(push([kpi({ value: 'lots', metric: 5 })]))).toEqual([
      { path: 'changes.kpi_data[0].metric', message: 'must be a string, got a number' },
      { path: 'changes.kpi_data[0].value', message: 'must be a number, got a string' },
    ]);
    expect(refusal(push([kpi({ value: null })]))).toEqual([
      { path: 'changes.kpi_data[0].value', message: 'must be a number, got null' },
    ]);
    expect(refusal({ device_id: 'store-001', timestamp: '2026-11-30T08:00:00Z', changes: [] })).toEqual([
      { path: 'changes', message: 'must be an object, got a list' },
    ]);
  });

  it('leads the error with the first problem and counts the rest', () => {
    const input = { device_id: 7, limit: 'many' };
    const parsed = PullRequest.safeParse(input);
    expect(parsed.success).toBe(false);
    const error = validationError('invalid pull request', parsed.error!, input);
    expect(error.status).toBe(400);
    expect(error.message).toBe('invalid pull request: device_id: must be a string, got a number (and 1 more problem)');
    expect(error.details?.[1]).toEqual({ path: 'limit', message: 'must be a number, got a string' });
  });
});
