// The Home dashboard's completion figures, counted in SQL (over 100k submissions the renderer
// must not load them all).
//
// What is expected: every published form, once per store per day (an opening checklist, a daily
// inspection). A store is any store this Mac knows of: one named on a live submission or on a
// team member. Days are the manager's local days (the renderer sends today, the Monday the week
// starts on, and its offset from UTC); a day counts as done when at least one submission of that
// form at that store was completed on it.
import { CompletionQuery, type CompletionCell, type IpcRequest } from '../../shared/ipc.js';
import type { LocalStore } from '../db/client.js';
import { InvalidEditError, parseInput } from './errors.js';

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

/** Per store and published form: today's and this week's completions, missing and behind first. */
export function completionOverview(store: LocalStore, input: IpcRequest<'dashboard:completion'>): CompletionCell[] {
  const { today, week_start, utc_offset_minutes } = parseInput(CompletionQuery, input);
  const expected = dayNumber(today) - dayNumber(week_start) + 1;
  if (expected < 1 || expected > 7) {
    throw new InvalidEditError(`week_start ${week_start} must be within the 7 days up to ${today}`);
  }
  // completed_at is UTC; the local day is UTC shifted by the offset. The lower bound (a day early,
  // in UTC) lets SQLite skip older rows before shifting each one.
  const shift = `${utc_offset_minutes >= 0 ? '+' : ''}${utc_offset_minutes} minutes`;
  const since = new Date((dayNumber(week_start) - 1) * DAY_MS).toISOString();
  const rows = store.sqlite
    .prepare(
      // The active stores, and any store code rows name without a store record (data written
      // before stores were records); a deactivated store is expected to do nothing.
      `WITH recorded AS (SELECT code, active FROM stores WHERE deleted_at IS NULL),
       named AS (
         SELECT store_id FROM submissions WHERE deleted_at IS NULL AND store_id IS NOT NULL
         UNION SELECT store_id FROM team WHERE deleted_at IS NULL AND store_id IS NOT NULL AND store_id <> ''),
       known_stores AS (
         SELECT code AS store_id FROM recorded WHERE active
         UNION SELECT store_id FROM named WHERE store_id NOT IN (SELECT code FROM recorded)),
       done AS (
         SELECT form_id, store_id, date(completed_at, @shift) AS day
         FROM submissions
         WHERE deleted_at IS NULL AND status = 'completed' AND completed_at >= @since AND store_id IS NOT NULL),
       per_pair AS (
         SELECT form_id, store_id, sum(day = @today) AS completed_today, count(DISTINCT day) AS days_done_week
         FROM done WHERE day BETWEEN @week_start AND @today GROUP BY form_id, store_id)
       SELECT f.id AS form_id, f.title AS form_title, s.store_id,
              coalesce(p.completed_today, 0) AS completed_today, coalesce(p.days_done_week, 0) AS days_done_week
       FROM forms f CROSS JOIN known_stores s
       LEFT JOIN per_pair p ON p.form_id = f.id AND p.store_id = s.store_id
       WHERE f.deleted_at IS NULL AND f.status = 'published'`,
    )
    .all({ shift, since, today, week_start }) as Array<
    Pick<CompletionCell, 'form_id' | 'form_title' | 'store_id' | 'completed_today' | 'days_done_week'>
  >;
  const cells = rows.map((row): CompletionCell => {
    const state = row.completed_today === 0 ? 'missing' : row.days_done_week < expected ? 'behind' : 'done';
    return { ...row, days_expected_week: expected, state };
  });
  const rank = { missing: 0, behind: 1, done: 2 } as const;
  return cells.sort(
    (a, b) =>
      rank[a.state] - rank[b.state] ||
      a.days_done_week - b.days_done_week ||
      a.form_title.localeCompare(b.form_title) ||
      a.store_id.localeCompare(b.store_id),
  );
}
