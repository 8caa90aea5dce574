// Completion counts per form and store: how many submissions each store finished.
import { useQuery } from '@tanstack/react-query';
import { useInsight } from '../../api/context.js';
import { completionCountsQuery } from '../../api/queries.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';

export const CompletionCounts = () => {
  const api = useInsight();
  const counts = useQuery(completionCountsQuery(api));

  return (
    <section aria-labelledby="completion-heading" className="completion-counts">
      <h2 id="completion-heading">Completion by form and store</h2>
      {/* No loading line: the submission list above already says what is loading. */}
      <QueryState query={counts} failure="Could not load completion counts" />
      {counts.data?.length === 0 && <p className="muted">No submissions yet.</p>}
      {counts.data && counts.data.length > 0 && (
        <DataTable label="Completion counts" columns={['Form', 'Store', 'Completed', 'In progress']}>
          {counts.data.map((count) => (
            <tr key={`${count.form_id}:${count.store_id ?? ''}`}>
              <th scope="row">{count.form_title ?? 'Unknown form'}</th>
              <td>{count.store_id ?? 'No store'}</td>
              <td>{count.completed}</td>
              <td>{count.in_progress}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
};
