// The dashboard's completion figures on a real SQLite file: which store and form pairs are
// missing today, behind this week, or done, in the manager's local days.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeLocal } from '../db/outbox.js';
import { openTemporaryStore, type TemporaryStore } from '../db/temporary-store.js';
import { completionOverview } from './dashboard.js';
import { saveForm } from './forms.js';
import { saveStore } from './stores.js';
import { saveTeamMember } from './team.js';

let store: TemporaryStore;
beforeEach(() => {
  store = openTemporaryStore();
});
afterEach(() => store.remove());

const form = (title: string, status: 'draft' | 'published' = 'published') =>
  saveForm(store, { form: { title, status }, sections: [], fields: [] }).form.id;

const submission = (form_id: string, store_id: string, completed_at: string | null, deleted = false) =>
  writeLocal(
    store,
    'submissions',
    {
      id: randomUUID(),
      form_id,
      store_id,
      status: completed_at ? 'completed' : 'in_progress',
      submitted_by: null,
      completed_at,
      updated_at: completed_at ?? '2026-11-30T08:00:00.000Z',
      deleted_at: deleted ? '2026-11-30T09:00:00.000Z' : null,
    },
    'INSERT',
  );

// Monday 2026-11-23 … Monday 2026-11-30 is "today" (so the week so far is one day) unless said.
const wednesday = { today: '2026-11-25', week_start: '2026-11-23', utc_offset_minutes: 0 };

describe('completion overview', () => {
  it('expects every active store, even one with no submissions yet, and no deactivated store', () => {
    const opening = form('Opening checklist');
    saveStore(store, { code: 'S1', name: 'Downtown' });
    saveStore(store, { code: 'S4', name: 'Harbour' }); // new: nothing submitted yet
    saveStore(store, { code: 'S5', name: 'Old Mill', active: false });
    submission(opening, 'S1', '2026-11-25T07:30:00.000Z');
    submission(opening, 'S5', '2026-11-20T07:30:00.000Z'); // before it closed

    const cells = completionOverview(store, wednesday);
    expect(cells.map((c) => [c.store_id, c.state])).toEqual([
      ['S4', 'missing'],
      ['S1', 'behind'],
    ]);
  });

  it('lists every published form at every known store, missing first, then behind, then done', () => {
    const opening = form('Opening checklist');
    const safety = form('Safety walk');
    form('Draft form', 'draft');
    saveTeamMember(store, { name: 'Ana', store_id: 'S3' }); // a store with no submissions yet
    // S1 opened every day this week; S2 opened Monday and today only.
    for (const day of ['23', '24', '25']) submission(opening, 'S1', `2026-11-${day}T07:30:00.000Z`);
    submission(opening, 'S2', '2026-11-23T07:30:00.000Z');
    submission(opening, 'S2', '2026-11-25T07:30:00.000Z');
    submission(opening, 'S2', '2026-11-25T12:00:00.000Z'); // twice today: still one day
    submission(safety, 'S1', null); // started, not completed
    submission(safety, 'S2', '2026-11-25T10:00:00.000Z', true); // deleted: does not count
    submission(safety, 'S2', '2026-11-20T10:00:00.000Z'); // last week

    const cells = completionOverview(store, wednesday);
    expect(cells.map((c) => [c.form_title, c.store_id, c.completed_today, c.days_done_week, c.state])).toEqual([
      ['Opening checklist', 'S3', 0, 0, 'missing'],
      ['Safety walk', 'S1', 0, 0, 'missing'],
      ['Safety walk', 'S2', 0, 0, 'missing'],
      ['Safety walk', 'S3', 0, 0, 'missing'],
      ['Opening checklist', 'S2', 2, 2, 'behind'],
      ['Opening checklist', 'S1', 1, 3, 'done'],
    ]);
    expect(cells.every((c) => c.days_expected_week === 3)).toBe(true);
  });

  it('counts days in the manager’s time zone, not in UTC', () => {
    const opening = form('Opening checklist');
    // 23:30 UTC on Tuesday is already Wednesday 00:30 in Paris (UTC+1).
    submission(opening, 'S1', '2026-11-24T23:30:00.000Z');
    const [paris] = completionOverview(store, { ...wednesday, utc_offset_minutes: 60 });
    expect([paris!.completed_today, paris!.state]).toEqual([1, 'behind']);
    const [utc] = completionOverview(store, wednesday);
    expect([utc!.completed_today, utc!.days_done_week, utc!.state]).toEqual([0, 1, 'missing']);
  });

  it('is empty without a published form or a known store, and refuses a week that does not hold today', () => {
    expect(completionOverview(store, wednesday)).toEqual([]);
    form('Opening checklist');
    expect(completionOverview(store, wednesday)).toEqual([]); // no store known yet
    expect(() => completionOverview(store, { ...wednesday, week_start: '2026-11-26' })).toThrow(/within the 7 days/);
    expect(() => completionOverview(store, { ...wednesday, today: 'yesterday' })).toThrow(/today/);
  });
});
