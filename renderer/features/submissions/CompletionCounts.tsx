// Completion counts per form and store of the submissions the filters show (main counts them in
// SQL with the same filters as the list): how many each store finished. A store's name opens the
// list narrowed to that form at that store.
import { useQuery } from '@tanstack/react-query';
import { useInsight } from '../../api/context.js';
import { completionCountsQuery } from '../../api/queries.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryState } from '../../components/QueryState.js';
import type { ListFilter } from './SubmissionFilters.js';

interface Props {
  scope: ListFilter;
  /** Whether the search or a filter narrows what is counted (for the empty line's words). */
  filtered: boolean;
  onDrillDown: (formId: string, storeId: string) => void;
}

export const CompletionCounts = ({ scope, filtered, onDrillDown }: Props) => {
  const api = useInsight();
  const counts = useQuery(completionCountsQuery(api, scope));
  return (
    <section aria-labelledby="completion-heading" className="completion-counts">
      <h2 id="completion-heading">Completion by form and store</h2>
      {/* No loading line: the submission list above already says what is loading. */}
      <QueryState query={counts} failure="Could not load completion counts" />
      {counts.data?.length === 0 && (
        <p className="muted">
          {filtered
            ? 'Nothing to count: the counts follow the search and filters above.'
            : 'No submissions yet: each store’s count appears here once its first submission arrives.'}
        </p>
      )}
      {counts.data && counts.data.length > 0 && (
        <DataTable label="Completion counts" columns={['Form', 'Store', 'Completed', 'In progress']}>
          {counts.data.map((count) => (
            <tr key={`${count.form_id}:${count.store_id ?? ''}`}>
              <th scope="row">{count.form_title ?? 'Unknown form'}</th>
              <td>
                {count.store_id === null ? (
                  'No store'
                ) : (
                  // The store's name is the button's name, so the cell still reads as the store.
                  <button
                    type="button"
                    className="link-button"
                    title={`Show ${count.form_title ?? 'this form'}’s submissions at ${count.store_id}`}
                    onClick={() => onDrillDown(count.form_id, count.store_id!)}
                  >
                    {count.store_id}
                  </button>
                )}
              </td>
              <td>{count.completed}</td>
              <td>{count.in_progress}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
};
