// Today's and this week's completion per store and published form, missing and late first (the
// order main gives). Expected: each published form once per store per day (docs/renderer.md).
import { useQuery } from '@tanstack/react-query';
import { CircleAlert, CircleCheck, Clock } from 'lucide-react';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { CompletionCell } from '../../../shared/ipc.js';
import { useInsight } from '../../api/context.js';
import { completionQuery } from '../../api/dashboard-queries.js';
import { formsListQuery } from '../../api/queries.js';
import { hrefFor } from '../../app/routes.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import { completionRequest } from './local-days.js';

/** Rows shown before "Show all": the ones that need the manager come first anyway. */
const FIRST_ROWS = 8;

const stateBadge: Record<CompletionCell['state'], { text: string; icon: typeof Clock }> = {
  missing: { text: 'Missing today', icon: CircleAlert },
  behind: { text: 'Behind this week', icon: Clock },
  done: { text: 'On track', icon: CircleCheck },
};

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export const completionSummary = (cells: readonly CompletionCell[]): string => {
  const doneToday = cells.filter((c) => c.completed_today > 0).length;
  const behind = cells.filter((c) => c.state === 'behind').length;
  return (
    `${doneToday.toLocaleString()} of ${plural(cells.length, 'inspection', 'inspections')} done today` +
    (behind > 0 ? ` · ${behind.toLocaleString()} behind this week` : '')
  );
};

const EmptyCompletion = () => {
  const api = useInsight();
  const forms = useQuery(formsListQuery(api));
  if (!forms.data) return null;
  const published = forms.data.some((f) => f.status === 'published');
  return published ? (
    <p className="empty-state">
      No store has sent a submission yet. Each store shows here once it fills in a published form, or once a team member
      is assigned to it on the <a href={hrefFor.team}>Team</a> screen.
    </p>
  ) : (
    <p className="empty-state">
      No form is published yet. <a href={hrefFor.newForm}>Create a form</a> (an opening checklist, a safety walk) and
      publish it: every store is then expected to complete it once a day, and this card shows who has.
    </p>
  );
};

export const CompletionCard = ({ now }: { now: Date }) => {
  const api = useInsight();
  const completion = useQuery(completionQuery(api, completionRequest(now)));
  const [showAll, setShowAll] = useState(false);
  const cells = completion.data ?? [];
  const shown = showAll ? cells : cells.slice(0, FIRST_ROWS);

  return (
    <section className="card dashboard-card dashboard-card--completion" aria-labelledby="completion-heading">
      <h2 id="completion-heading">Today and this week</h2>
      <QueryState query={completion} loading="Loading completion…" failure="Could not load completion" />
      {completion.data && cells.length === 0 && <EmptyCompletion />}
      {cells.length > 0 && (
        <>
          <p className="muted">{completionSummary(cells)}</p>
          <DataTable label="Completion today and this week" columns={['Form', 'Store', 'Today', 'This week', 'State']}>
            {shown.map((cell) => {
              const badge = stateBadge[cell.state];
              return (
                <tr key={`${cell.form_id}:${cell.store_id}`} data-state={cell.state}>
                  <th scope="row">{cell.form_title}</th>
                  <td>{cell.store_id}</td>
                  <td>
                    {cell.completed_today === 0
                      ? 'Not yet'
                      : cell.completed_today === 1
                        ? 'Done'
                        : `Done ×${cell.completed_today}`}
                  </td>
                  <td>
                    {cell.days_done_week} of {plural(cell.days_expected_week, 'day', 'days')}
                  </td>
                  <td>
                    <span className={`badge badge--${cell.state}`}>
                      <badge.icon size={12} aria-hidden="true" /> {badge.text}
                    </span>
                  </td>
                </tr>
              );
            })}
          </DataTable>
          {cells.length > FIRST_ROWS && (
            <Button className="button button--small" onPress={() => setShowAll((v) => !v)}>
              {showAll ? 'Show fewer' : `Show all ${cells.length.toLocaleString()}`}
            </Button>
          )}
        </>
      )}
    </section>
  );
};
