// The manager's week starts on Monday, in local days, whatever day Home is opened on.
import { describe, expect, it } from 'vitest';
import { completionRequest } from './local-days.js';
import { trendFrom } from './trend-data.js';

describe('local days', () => {
  it('starts the week on the Monday before, or on today when today is Monday', () => {
    expect(completionRequest(new Date(2026, 10, 29, 23, 30))).toMatchObject({
      today: '2026-11-29', // a Sunday: the last day of the week that began Monday 23rd
      week_start: '2026-11-23',
    });
    expect(completionRequest(new Date(2026, 10, 30, 0, 5))).toMatchObject({
      today: '2026-11-30',
      week_start: '2026-11-30',
    });
    expect(completionRequest(new Date(2027, 0, 1, 12))).toMatchObject({
      today: '2027-01-01',
      week_start: '2026-12-28',
    });
  });

  it('starts a trend period on a day (4 weeks) or on a whole month (3 and 12 months)', () => {
    const now = new Date(2026, 0, 15, 9);
    expect(trendFrom('4w', now)).toBe('2025-12-19');
    expect(trendFrom('3m', now)).toBe('2025-11');
    expect(trendFrom('12m', now)).toBe('2025-02');
  });
});
