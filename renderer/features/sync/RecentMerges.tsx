// Changes of this Mac the server merged field by field with another device's edit of other fields
// (issue 14): both edits were kept, so they are no conflicts; the sync panel lists the latest few
// so a manager can see that a record now holds someone else's change too. The app has no
// per-record history screen; the server's audit log keeps every merge.
import { useQuery } from '@tanstack/react-query';
import type { RecentMerge } from '../../../shared/ipc.js';
import { useInsight } from '../../api/context.js';
import { recentMergesQuery } from '../../api/queries.js';
import { hrefFor } from '../../app/routes.js';
import { fieldLabel, tableLabel } from '../conflicts/describe-conflict.js';

const list = (fields: string[]) => fields.map(fieldLabel).join(', ');

const recordLink = (merge: RecentMerge): string | null =>
  merge.table === 'submissions'
    ? hrefFor.submission(merge.record_id)
    : merge.table === 'forms'
      ? hrefFor.form(merge.record_id)
      : merge.table === 'kpi_data'
        ? hrefFor.kpis
        : null;

export const mergeSentence = (merge: RecentMerge): string => {
  const yours = merge.pushed.length ? `your ${list(merge.pushed)}` : 'your edit';
  const theirs = merge.kept.length ? ` with another device’s ${list(merge.kept)}` : '';
  const both = merge.conflicted.length ? `; ${list(merge.conflicted)} changed on both sides (see Conflicts)` : '';
  return `${tableLabel(merge.table)}: ${yours} merged${theirs}${both}`;
};

export const RecentMerges = () => {
  const api = useInsight();
  const merges = useQuery(recentMergesQuery(api));
  // Secondary information: while loading, or if this list cannot be read, the panel shows the rest.
  if (!merges.data?.length) return null;
  return (
    <section aria-label="Merged changes" className="sync-panel__merges">
      <h3>Merged changes</h3>
      <p className="muted">Edits of different fields of the same record: both were kept.</p>
      <ul>
        {merges.data.slice(0, 5).map((merge) => {
          const href = recordLink(merge);
          return (
            <li key={`${merge.table}/${merge.record_id}/${merge.change_id ?? merge.merged_at}`}>
              {href ? <a href={href}>{mergeSentence(merge)}</a> : mergeSentence(merge)}{' '}
              <span className="muted">{new Date(merge.merged_at).toLocaleString()}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
};
