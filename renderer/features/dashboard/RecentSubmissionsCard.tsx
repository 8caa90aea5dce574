// The latest submissions (most recently changed first), each a link to its detail.
import { useQuery } from '@tanstack/react-query';
import { useInsight } from '../../api/context.js';
import { submissionsPageQuery } from '../../api/queries.js';
import { hrefFor } from '../../app/routes.js';
import { QueryState } from '../../components/QueryState.js';
import { ago } from '../sync/describe-status.js';

const RECENT = 6;
const statusLabel = { in_progress: 'In progress', completed: 'Completed' } as const;

export const RecentSubmissionsCard = ({ now }: { now: Date }) => {
  const api = useInsight();
  const recent = useQuery(submissionsPageQuery(api, { offset: 0, limit: RECENT }));
  const rows = recent.data?.rows ?? [];
  return (
    <section className="card dashboard-card dashboard-card--recent" aria-labelledby="recent-heading">
      <div className="dashboard-card__head">
        <h2 id="recent-heading">Recent submissions</h2>
        {rows.length > 0 && <a href={hrefFor.submissions}>See all</a>}
      </div>
      <QueryState query={recent} loading="Loading submissions…" failure="Could not load submissions" />
      {recent.data && rows.length === 0 && (
        <div className="empty-state">
          <p>No submissions yet</p>
          <p>
            Stores’ submissions arrive here as their devices sync. Publish a form on the{' '}
            <a href={hrefFor.forms}>Forms</a> screen so stores can fill it in.
          </p>
        </div>
      )}
      {rows.length > 0 && (
        <ul className="recent-list" aria-label="Recent submissions">
          {rows.map((row) => (
            <li key={row.id}>
              <span className="recent-list__what">
                <a href={hrefFor.submission(row.id)}>{row.form_title ?? 'Deleted form'}</a>
                <span className="muted">
                  {row.store_id ?? 'No store'} · {ago(row.updated_at, now.getTime())}
                </span>
              </span>
              <span className={`badge badge--${row.status}`}>{statusLabel[row.status]}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};
